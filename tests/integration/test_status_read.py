"""What the status page tells the enquirer as their case moves: received, waiting in
triage, with a manager (a referral the routing made on its own included), passed on by
their manager, closed."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from services.intake import service
from services.intake.schemas import EnquiryCreate
from shared.db.models import EnquiryRow, ReferralRow
from tests.support.db import migrated, sqlite_url


def _status(session: Session, token: str) -> str:
    found = service.read_status(session, token=token)
    assert found is not None
    return found.status


def test_the_status_follows_the_case_and_a_referral_of_the_routing_leaves_it_with_its_manager(
    tmp_path: Path,
) -> None:
    with migrated(sqlite_url(tmp_path)) as sessions:
        body = {"message": "Anerkennung meiner Pflegeausbildung", "email": "a@example.net"}
        received = service.receive_enquiry(
            sessions.kw["bind"],
            data=EnquiryCreate.model_validate({**body, "consent_processing": True}),
            channel="web",
            correlation_id=uuid.uuid4().hex,
        )
        key = received.enquiry_id
        with sessions.begin() as session:
            token = session.get_one(EnquiryRow, key).status_token
            assert _status(session, token) == "received"

            def becomes(**values: object) -> None:
                session.execute(update(EnquiryRow).where(EnquiryRow.id == key).values(**values))

            becomes(status="triage", site="braunschweig")
            assert _status(session, token) == "waiting"
            becomes(status="assigned", manager_id="m-01")
            session.add(ReferralRow(enquiry_id=key, partner_id="p-01", requested_by="auto"))
            session.flush()
            assert _status(session, token) == "with_manager"
            session.add(ReferralRow(enquiry_id=key, partner_id="p-02", requested_by="m-01"))
            session.flush()
            assert _status(session, token) == "referred"
            becomes(status="closed")
            assert _status(session, token) == "closed"
