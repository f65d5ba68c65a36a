"""Delivering one mail: compose it from the case, send it once, record the outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notifications import compose
from services.notifications.follow_up import FollowUpView, follow_up_notice
from services.notifications.mailer import Mailer
from shared.db.models import (
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    InboundMailRow,
    ManagerRow,
    SiteRow,
    SuppressedAddressRow,
    utcnow,
)


@dataclass(frozen=True)
class MailPolicy:
    sender: compose.Sender
    base_url: str
    confirmations_per_window: int = 5
    confirmation_window: dt.timedelta = dt.timedelta(hours=1)


def case_view(session: Session, enquiry: EnquiryRow, base_url: str) -> compose.CaseView:
    assert enquiry.reference is not None
    manager = session.get(ManagerRow, enquiry.manager_id) if enquiry.manager_id else None
    site = session.get(SiteRow, enquiry.site) if enquiry.site else None
    base = base_url.rstrip("/")
    return compose.CaseView(
        reference=enquiry.reference,
        language=enquiry.language or enquiry.preferred_language or "en",
        enquirer_name=enquiry.name,
        enquirer_email=enquiry.email,
        enquirer_phone=enquiry.phone,
        requester_type=enquiry.understood_type or enquiry.requester_type or "worker",
        company=enquiry.company,
        topics=tuple(enquiry.topics or ("other",)),
        district=enquiry.district,
        site_name=site.name if site else None,
        subject=enquiry.subject,
        message=enquiry.message,
        status_url=f"{base}/api/v1/status/{enquiry.status_token}",
        case_url=f"{base}/cases/{enquiry.reference}",
        reasons=tuple(enquiry.reasons or ()),
        needs_interpreter=enquiry.needs_interpreter,
        manager_name=manager.name if manager else None,
    )


def _too_many_confirmations(session: Session, delivery: DeliveryRow, policy: MailPolicy) -> bool:
    since = utcnow() - policy.confirmation_window
    sent = session.scalar(
        select(func.count()).where(
            DeliveryRow.kind == "confirmation",
            DeliveryRow.recipient == delivery.recipient,
            DeliveryRow.status == "sent",
            DeliveryRow.sent_at >= since,
        )
    )
    return (sent or 0) >= policy.confirmations_per_window


def _suppressed(session: Session, address: str) -> bool:
    """Whether the address bounced hard: automatic mail to it would only bounce again."""
    return session.get(SuppressedAddressRow, address.strip().lower()) is not None


def _first_message_id(session: Session, enquiry_id: int) -> str | None:
    return session.scalar(
        select(InboundMailRow.message_id).where(
            InboundMailRow.enquiry_id == enquiry_id, InboundMailRow.outcome == "created"
        )
    )


def _follow_up(session: Session, delivery_id: int) -> FollowUpView:
    message = session.scalar(
        select(CaseMessageRow).where(CaseMessageRow.notice_delivery_id == delivery_id)
    )
    if message is None:
        raise LookupError(f"no case message for follow-up notice {delivery_id}")
    return FollowUpView(subject=message.subject, text=message.text)


def build_message(session: Session, delivery: DeliveryRow, policy: MailPolicy) -> EmailMessage:
    enquiry = session.get(EnquiryRow, delivery.enquiry_id)
    assert enquiry is not None
    case = case_view(session, enquiry, policy.base_url)
    unique = delivery.message_id or uuid.uuid4().hex[:16]
    delivery.message_id = unique
    if delivery.kind == "confirmation":
        if enquiry.channel == "email":  # the confirmation answers the enquirer's own mail
            case = replace(case, in_reply_to=_first_message_id(session, enquiry.id))
        return compose.confirmation(case, policy.sender, unique=unique)
    if delivery.kind == "manager":
        return compose.manager_notice(
            case,
            policy.sender,
            to_name=delivery.recipient_name or "",
            to_address=delivery.recipient,
            unique=unique,
        )
    if delivery.kind == "triage":
        return compose.triage_notice(
            case, policy.sender, team_address=delivery.recipient, unique=unique
        )
    if delivery.kind == "follow_up":
        return follow_up_notice(
            case,
            policy.sender,
            to_name=delivery.recipient_name or "",
            to_address=delivery.recipient,
            unique=unique,
            message=_follow_up(session, delivery.id),
        )
    return compose.referral(
        case,
        policy.sender,
        partner_name=delivery.recipient_name or "",
        partner_address=delivery.recipient,
        unique=unique,
    )


def deliver(session: Session, *, delivery_id: int, mailer: Mailer, policy: MailPolicy) -> str:
    """Sends the delivery's mail unless it went out already; returns the outcome.

    Raises what the mailer raises, so that the task can retry; the caller records
    the failed attempt with `record_failure`.
    """
    delivery = session.get(DeliveryRow, delivery_id)
    if delivery is None:
        raise LookupError(f"delivery {delivery_id} does not exist")
    if delivery.status in ("sent", "suppressed", "bounced"):  # bounced: it went out once
        return "already"
    if delivery.kind == "confirmation" and _suppressed(session, delivery.recipient):
        delivery.status = "suppressed"
        delivery.last_error = "address suppressed after a hard bounce"
        return "suppressed"
    if delivery.kind == "confirmation" and _too_many_confirmations(session, delivery, policy):
        delivery.status = "suppressed"
        delivery.last_error = "confirmation rate limit for this address"
        return "suppressed"
    message = build_message(session, delivery, policy)
    message["Date"] = format_datetime(utcnow())
    delivery.attempts += 1
    mailer.send(message)
    delivery.status = "sent"
    delivery.sent_at = utcnow()
    delivery.last_error = None
    return "sent"


def record_failure(session: Session, *, delivery_id: int, error: str, final: bool) -> None:
    delivery = session.get(DeliveryRow, delivery_id)
    if delivery is None or delivery.status == "sent":
        return
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    delivery.status = "dead" if final else "failed"


def dead_letters(session: Session) -> list[DeliveryRow]:
    return list(
        session.scalars(
            select(DeliveryRow).where(DeliveryRow.status == "dead").order_by(DeliveryRow.id)
        )
    )


def revive(session: Session, *, delivery_id: int) -> DeliveryRow:
    """Puts a dead letter back to pending; the caller publishes its event again."""
    delivery = session.get(DeliveryRow, delivery_id)
    if delivery is None or delivery.status != "dead":
        raise LookupError(f"delivery {delivery_id} is not a dead letter")
    delivery.status = "pending"
    delivery.attempts = 0
    return delivery
