"""Asking for a mail: a delivery row and its event, in the caller's transaction."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from shared.db.models import DeliveryRow, EnquiryRow, PartnerRow, utcnow
from shared.events import MailRequested
from shared.messaging.outbox import add_event

KINDS = (
    "confirmation",
    "manager",
    "triage",
    "referral",
    "referral_notice",
    "follow_up",
    "reply",
    "reminder",  # an assigned case not accepted yet, to its manager
    "escalation",  # a case reassigned at its limit, to the site's team
    "triage_reminder",  # a case waiting in triage, to the site's team again
)
# What a partner's referral mail carries of the case, nothing more: what an export tells
# the enquirer was passed on (the notifications service's test holds it to this).
REFERRAL_DATA = (
    "reference",
    "name",
    "email",
    "phone",
    "language",
    "topics",
    "subject",
    "excerpt",  # the start of the message, at most 300 characters
)
_DELIVERIES = cast(Table, DeliveryRow.__table__)
_INSERT_DELIVERY = insert(_DELIVERIES).returning(_DELIVERIES.c.id)  # compiled once


def request_mail(
    session: Session,
    *,
    enquiry: EnquiryRow,
    kind: str,
    recipient: str,
    recipient_name: str | None = None,
    partner_id: str | None = None,
) -> tuple[int, int]:
    """Returns the ids of the delivery and of its outbox event. Never commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    delivery_id = int(
        session.connection()
        .execute(
            _INSERT_DELIVERY,
            {
                "enquiry_id": enquiry.id,
                "kind": kind,
                "recipient": recipient,
                "recipient_name": recipient_name,
                "partner_id": partner_id,
                "status": "pending",
                "attempts": 0,
                "created_at": utcnow(),
            },
        )
        .scalar_one()
    )
    event_id = add_event(
        session, MailRequested(correlation_id=enquiry.correlation_id, delivery_id=delivery_id)
    )
    return delivery_id, event_id


def request_referral(
    session: Session, *, enquiry: EnquiryRow, partner: PartnerRow
) -> tuple[int, ...]:
    """Asks for the partner's mail and, when the enquirer gave an address, the notice that
    tells them who got their data; returns the outbox events' ids. Never commits."""
    asked: list[tuple[str, str, str | None]] = [("referral", partner.email, partner.name)]
    if enquiry.email:
        asked.append(("referral_notice", enquiry.email, enquiry.name))
    return tuple(
        request_mail(
            session,
            enquiry=enquiry,
            kind=kind,
            recipient=recipient,
            recipient_name=name,
            partner_id=partner.id,
        )[1]
        for kind, recipient, name in asked
    )
