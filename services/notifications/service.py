"""Delivering one mail: compose it from the case, send it once, record the outcome."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from services.notifications import compose, deliveries, escalation
from services.notifications.cases import load_case, load_partner
from services.notifications.deliveries import Delivery
from services.notifications.follow_up import FollowUpView, follow_up_notice
from services.notifications.headers import domain_of
from services.notifications.mailer import Mailer
from services.notifications.mime import set_plain
from services.notifications.reply import compose_reply, load_reply
from services.notifications.views import PartnerView
from shared.db.models import CaseMessageRow, DeliveryRow, SuppressedAddressRow, utcnow
from shared.statistics.facts import refresh_case_facts


@dataclass(frozen=True)
class MailPolicy:
    sender: compose.Sender
    base_url: str
    reply_to: str = ""  # where the enquirer's answers go: the centre's intake address
    confirmations_per_window: int = 5
    confirmation_window: dt.timedelta = dt.timedelta(hours=1)


def new_message_key() -> str:
    """The unique part of a delivery's Message-ID, kept so that a re-send threads alike."""
    return uuid.uuid4().hex[:16]


_CONFIRMATIONS_SENT = select(func.count()).where(
    DeliveryRow.recipient == bindparam("recipient"),
    DeliveryRow.kind == "confirmation",
    DeliveryRow.status == "sent",
    DeliveryRow.sent_at >= bindparam("since"),
)


def _too_many_confirmations(session: Session, delivery: Delivery, policy: MailPolicy) -> bool:
    since = utcnow() - policy.confirmation_window
    sent = session.connection().execute(
        _CONFIRMATIONS_SENT, {"recipient": delivery.recipient, "since": since}
    )
    return (sent.scalar() or 0) >= policy.confirmations_per_window


_SUPPRESSED = select(SuppressedAddressRow.address).where(
    SuppressedAddressRow.address == bindparam("address")
)


def _suppressed(session: Session, address: str) -> bool:
    """Whether the address bounced hard: automatic mail to it would only bounce again."""
    found = session.connection().execute(_SUPPRESSED, {"address": address.strip().lower()})
    return found.first() is not None


# Automatic mails to the enquirer: none goes to an address that bounced hard.
TO_ENQUIRER = frozenset({"confirmation", "referral_notice"})


def held_back(session: Session, delivery: Delivery, policy: MailPolicy) -> str | None:
    """Why an automatic mail must not go out, or None when it may."""
    if delivery.kind not in TO_ENQUIRER:
        return None
    if _suppressed(session, delivery.recipient):
        return "address suppressed after a hard bounce"
    if delivery.kind == "confirmation" and _too_many_confirmations(session, delivery, policy):
        return "confirmation rate limit for this address"
    return None


def _follow_up(session: Session, delivery_id: int) -> FollowUpView:
    message = session.scalar(
        select(CaseMessageRow).where(CaseMessageRow.notice_delivery_id == delivery_id)
    )
    if message is None:
        raise LookupError(f"no case message for follow-up notice {delivery_id}")
    return FollowUpView(subject=message.subject, text=message.text)


def build_message(
    session: Session, delivery: Delivery, case: compose.CaseView, policy: MailPolicy
) -> EmailMessage:
    unique = delivery.message_id or new_message_key()
    delivery.message_id = unique
    if delivery.kind == "confirmation":
        return compose.confirmation(case, policy.sender, unique=unique)
    if delivery.kind == "follow_up":
        return follow_up_notice(
            case,
            policy.sender,
            to_name=delivery.recipient_name or "",
            to_address=delivery.recipient,
            unique=unique,
            message=_follow_up(session, delivery.id),
        )
    if delivery.kind == "manager":
        return compose.manager_notice(
            case,
            policy.sender,
            to_name=delivery.recipient_name or "",
            to_address=delivery.recipient,
            unique=unique,
        )
    if delivery.kind == "reply":
        domain = domain_of(policy.sender.address)
        view = load_reply(session, delivery_id=delivery.id, reference=case.reference, domain=domain)
        return compose_reply(
            case,
            policy.sender,
            reply_to=policy.reply_to or policy.sender.address,
            view=view,
            unique=unique,
        )
    if delivery.kind in escalation.KINDS:
        return escalation.timer_message(session, delivery, case, policy.sender, unique)
    if delivery.kind == "triage":
        return compose.triage_notice(
            case, policy.sender, team_address=delivery.recipient, unique=unique
        )
    partner = _partner(session, delivery)
    if delivery.kind == "referral_notice":
        return compose.referral_notice(case, policy.sender, partner=partner, unique=unique)
    return compose.referral(case, policy.sender, partner=partner, unique=unique)


def _partner(session: Session, delivery: Delivery) -> PartnerView:
    """The delivery's partner as the directory has it now. One no longer in the directory
    keeps the name and address its referral was asked with, and no language (its mail goes
    out in German and English)."""
    found = load_partner(session, delivery.partner_id) if delivery.partner_id else None
    if found is not None:
        return found
    if delivery.kind == "referral":
        name, address = delivery.recipient_name or "", delivery.recipient
    else:
        name, address = delivery.partner_id or "", ""
    return PartnerView(delivery.partner_id or "", name, address, (), ())


def send_delivery(
    session: Session,
    delivery: Delivery,
    case: compose.CaseView,
    *,
    mailer: Mailer,
    policy: MailPolicy,
) -> str:
    """Sends one unsent delivery and records it sent; returns sent, suppressed or already.

    Raises what the mailer raises; the caller records the failed attempt."""
    if not delivery.unsent:
        return "already"
    reason = held_back(session, delivery, policy)
    if reason is not None:
        delivery.status = "suppressed"
        deliveries.save(session, delivery, last_error=reason)
        return "suppressed"
    message = build_message(session, delivery, case, policy)
    now = utcnow()
    set_plain(message, "Date", format_datetime(now))
    mailer.send(message)
    delivery.attempts += 1
    delivery.status = "sent"
    deliveries.save(session, delivery, sent_at=now)
    if delivery.kind == "reply":  # the first reply sent is the case's first response
        refresh_case_facts(session.connection(), enquiry_id=delivery.enquiry_id)
    return "sent"


def deliver(session: Session, *, delivery_id: int, mailer: Mailer, policy: MailPolicy) -> str:
    """Sends the delivery's mail unless it went out already; returns the outcome.

    Raises what the mailer raises, so that the task can retry; the caller records
    the failed attempt with `record_failure`.
    """
    delivery = deliveries.load_delivery(session, delivery_id)
    if delivery is None:
        raise LookupError(f"delivery {delivery_id} does not exist")
    if not delivery.unsent:
        return "already"
    loaded = load_case(session, delivery.enquiry_id, base_url=policy.base_url)
    if loaded is None:
        raise LookupError(f"enquiry {delivery.enquiry_id} does not exist")
    return send_delivery(session, delivery, loaded.view, mailer=mailer, policy=policy)


def note_failure(session: Session, delivery: Delivery, *, error: str, final: bool) -> None:
    delivery.attempts += 1
    delivery.status = "dead" if final else "failed"
    deliveries.save(session, delivery, last_error=error[:2000])


def record_failure(session: Session, *, delivery_id: int, error: str, final: bool) -> None:
    delivery = deliveries.load_delivery(session, delivery_id)
    if delivery is None or delivery.status == "sent":
        return
    note_failure(session, delivery, error=error, final=final)


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
