"""Cases for the desk's tests, written by the intake's own use case and then placed with a
given manager and status, as routing would leave them; and who acts on them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.desk.staff import Staff
from services.intake import service as intake
from services.intake.schemas import EnquiryCreate
from shared.db.models import DeliveryRow, EnquiryRow, utcnow

MANAGER_SITES = {
    "m-01": "braunschweig",
    "m-02": "braunschweig",
    "m-03": "wolfsburg",
    "m-04": "wolfsburg",
}


def manager(manager_id: str) -> Staff:
    return Staff(
        id=None,
        email=f"{manager_id}@example.org",
        role="manager",
        manager_id=manager_id,
        site=MANAGER_SITES[manager_id],
        name=manager_id,
    )


ADMIN = Staff(
    id=None, email="admin@example.org", role="admin", manager_id=None, site=None, name="Admin"
)


def new_case(
    sessions: sessionmaker[Session],
    *,
    manager_id: str | None,
    status: str,
    site: str = "braunschweig",
    **fields: Any,
) -> str:
    """A case as the intake stores it, then placed as routing would leave it."""
    body: dict[str, Any] = {
        "name": "Test Person",
        "email": f"person.{uuid.uuid4().hex[:8]}@example.net",
        "message": "I would like my nursing diploma recognised.",
        "consent_processing": True,
        "consent_referral": True,
    }
    body.update(fields)
    received = intake.receive_enquiry(
        sessions.kw["bind"],
        data=EnquiryCreate.model_validate(body),
        channel="api",
        correlation_id=uuid.uuid4().hex,
    )
    with sessions.begin() as session:
        row = session.get(EnquiryRow, received.enquiry_id)
        assert row is not None
        row.status, row.manager_id, row.site = status, manager_id, site
        row.routed_at = row.assigned_at = utcnow()
        row.language, row.topics = "en", ["recognition"]
    return received.reference


def case_row(sessions: sessionmaker[Session], reference: str) -> EnquiryRow:
    with sessions() as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        return row


def mails_of(sessions: sessionmaker[Session], reference: str) -> list[tuple[str, str]]:
    """The case's deliveries as (kind, recipient), in the order they were asked for."""
    with sessions() as session:
        rows = session.execute(
            select(DeliveryRow.kind, DeliveryRow.recipient)
            .join(EnquiryRow, EnquiryRow.id == DeliveryRow.enquiry_id)
            .where(EnquiryRow.reference == reference)
            .order_by(DeliveryRow.id)
        )
        return [(kind, recipient) for kind, recipient in rows]
