"""Asking for a mail: a delivery row and its event, in the caller's transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db.models import DeliveryRow, EnquiryRow
from shared.events import MailRequested
from shared.messaging.outbox import add_event

KINDS = ("confirmation", "manager", "triage", "referral")


def request_mail(
    session: Session,
    *,
    enquiry: EnquiryRow,
    kind: str,
    recipient: str,
    recipient_name: str | None = None,
    partner_id: str | None = None,
) -> tuple[DeliveryRow, int]:
    """Returns the delivery and the id of its outbox event. Flushes, never commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    delivery = DeliveryRow(
        enquiry_id=enquiry.id,
        kind=kind,
        recipient=recipient,
        recipient_name=recipient_name,
        partner_id=partner_id,
    )
    session.add(delivery)
    session.flush()
    event_id = add_event(
        session, MailRequested(correlation_id=enquiry.correlation_id, delivery_id=delivery.id)
    )
    return delivery, event_id
