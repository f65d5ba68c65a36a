"""What one read mail does to the cases: opens one, joins one, is recorded on one, or nothing.

Machines never open a case or get a confirmation: bounces are recorded on the
case of the mail that bounced (a hard one stops confirmations to the address),
auto-replies are recorded on their case, lists and empty mails are ignored. A
follow-up joins its case and tells the manager, or the site's team when nobody
has it yet; it is not routed again. Helpers add and flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from services.intake.mail.classify import Bounce
from services.intake.mail.reading import MailReading
from services.intake.service import add_enquiry
from shared.db.models import (
    AttachmentRow,
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    InboundMailRow,
    ManagerRow,
    PartnerRow,
    SiteRow,
    SuppressedAddressRow,
    utcnow,
)
from shared.history import ENQUIRER, record
from shared.mail_requests import request_mail
from shared.statistics.facts import refresh_case_facts

Outcome = Literal["created", "joined", "recorded", "ignored"]
# A sender who keeps writing (or a mail program answering our notices) tells the manager
# at most this often per case and hour: staff mail can never feed a loop.
NOTICES_PER_HOUR = 10


@dataclass(frozen=True)
class Acted:
    outcome: Outcome
    enquiry_id: int | None = None
    reference: str | None = None
    outbox_ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()


def act(session: Session, *, reading: MailReading, inbound: InboundMailRow) -> Acted:
    kind = reading.kind
    case = _case(session, reading.reference)
    if kind == "follow_up" and case is not None:
        return _join(session, reading, inbound, case)
    if kind == "bounce" and reading.classification.bounce is not None:
        return _record_bounce(session, reading, inbound, case, reading.classification.bounce)
    if kind == "auto_reply" and case is not None:
        _add_message(session, reading, inbound, case, "auto_reply")
        return Acted("recorded", case.id, case.reference, notes=("auto-reply kept on its case",))
    if kind in ("new", "follow_up"):
        acted = _open(session, reading, inbound)
        if kind == "follow_up":  # our reference, but no such case here (deleted, mistyped)
            return replace(acted, notes=("unknown reference", *acted.notes))
        return acted
    return Acted("ignored", notes=(f"{kind}: no case, no mail",))


def _case(session: Session, reference: str | None) -> EnquiryRow | None:
    """The case a reference names, unless its enquirer's data was removed: then a mail with
    it is a new contact. On PostgreSQL the row is held until commit, so that an erasure
    running meanwhile waits for this mail, or this mail sees the case erased (held
    exclusively, as the desk's changes hold it: two mails on one case take turns rather
    than both upgrading a shared hold)."""
    if not reference:
        return None
    query = select(EnquiryRow).where(
        EnquiryRow.reference == reference.upper(), EnquiryRow.anonymised_at.is_(None)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=EnquiryRow)
    return session.scalar(query)


def _clean(text: str | None, limit: int) -> str | None:
    """Text for the database: PostgreSQL refuses NUL in text, and columns have lengths."""
    return text.replace("\x00", "")[:limit] if text else None


def _sender(reading: MailReading) -> str | None:
    return reading.enquirer.key if reading.enquirer else None


def _add_message(
    session: Session, reading: MailReading, inbound: InboundMailRow, case: EnquiryRow, kind: str
) -> CaseMessageRow:
    text = reading.text.strip() or reading.parsed.text.strip()
    if not text and reading.parsed.attachments:
        text = f"({len(reading.parsed.attachments)} attachment(s), no text)"
    message = CaseMessageRow(
        enquiry_id=case.id,
        inbound_mail_id=inbound.id,
        direction="in",
        kind=kind,
        received_at=inbound.received_at,
        sender=_clean(_sender(reading), 254),
        subject=_clean(reading.subject, 300),
        text=_clean(text, 100_000) or "",
    )
    session.add(message)
    _add_attachments(session, reading, inbound, case.id)
    session.flush()
    return message


def _add_attachments(
    session: Session, reading: MailReading, inbound: InboundMailRow, enquiry_id: int
) -> None:
    for attachment in reading.parsed.attachments:
        session.add(
            AttachmentRow(
                enquiry_id=enquiry_id,
                inbound_mail_id=inbound.id,
                filename=_clean(attachment.filename, 255) or "attachment",
                content_type=attachment.content_type[:127],
                size=attachment.size,
                data=None if attachment.dropped else attachment.data,
                dropped=_clean(attachment.dropped, 200),
            )
        )


def _open(session: Session, reading: MailReading, inbound: InboundMailRow) -> Acted:
    fields = reading.enquiry_fields()
    if fields is None:
        return Acted("ignored", notes=("nothing to read as an enquiry",))
    # Writing to the centre is asking it to handle the enquiry; forwarding to a partner
    # still needs the enquirer's explicit consent, which a mail does not give.
    data = fields.model_copy(update={"consent_processing": True, "consent_referral": False})
    received = add_enquiry(
        session, data=data, channel="email", correlation_id=inbound.correlation_id
    )
    case = session.get(EnquiryRow, received.enquiry_id)
    assert case is not None
    _add_message(session, reading, inbound, case, "new")
    return Acted("created", case.id, received.reference, received.outbox_ids)


def _staff_addresses(session: Session) -> set[str]:
    query = union(
        select(func.lower(ManagerRow.email)),
        select(func.lower(SiteRow.team_email)),
        select(func.lower(PartnerRow.email)),
    )
    return {str(address) for address in session.scalars(query)}


def _who_is_told(session: Session, case: EnquiryRow) -> tuple[str, str] | None:
    """The case's manager, else the team of its site (or of the site the enquirer chose)."""
    manager = session.get(ManagerRow, case.manager_id) if case.manager_id else None
    if manager is not None:
        return manager.email, manager.name
    code = case.site or case.preferred_site
    site = session.get(SiteRow, code) if code else None
    return (site.team_email, site.name) if site is not None else None


def _notices_last_hour(session: Session, case: EnquiryRow) -> int:
    since = utcnow() - dt.timedelta(hours=1)
    count = session.scalar(
        select(func.count()).where(
            DeliveryRow.enquiry_id == case.id,
            DeliveryRow.kind == "follow_up",
            DeliveryRow.created_at >= since,
        )
    )
    return count or 0


def _join(
    session: Session, reading: MailReading, inbound: InboundMailRow, case: EnquiryRow
) -> Acted:
    message = _add_message(session, reading, inbound, case, "follow_up")
    by_staff = _sender(reading) in _staff_addresses(session)
    if not by_staff:
        _bring_back(session, case)
    told = _who_is_told(session, case)
    if by_staff:
        note = "written by staff: kept on the case, nobody told"
    elif _notices_last_hour(session, case) >= NOTICES_PER_HOUR:
        note = "notice limit for this case reached: kept on the case, nobody told"
    elif told is None:
        note = "no manager or site yet: the case's first mail will show it"
    else:
        delivery_id, event_id = request_mail(
            session, enquiry=case, kind="follow_up", recipient=told[0], recipient_name=told[1]
        )
        message.notice_delivery_id = delivery_id
        session.flush()
        return Acted("joined", case.id, case.reference, (event_id,))
    return Acted("joined", case.id, case.reference, notes=(note,))


def _bring_back(session: Session, case: EnquiryRow) -> None:
    """The enquirer wrote again on a case we answered or closed: it is open again, with its
    manager (else back in its site's triage queue)."""
    if case.status not in ("waiting", "closed"):
        return
    before = case.status
    case.status = "accepted" if case.manager_id else "triage"
    case.closed_at = None
    case.outcome = None
    case.version += 1
    session.flush()
    record(
        session.connection(),
        enquiry_id=case.id,
        actor=ENQUIRER,
        action="reopened_by_mail",
        details={"from": before, "to": case.status},
    )
    refresh_case_facts(session.connection(), enquiry_id=case.id)


def _bounced_delivery(
    session: Session, case: EnquiryRow, original_message_id: str | None
) -> DeliveryRow | None:
    """Our mail that bounced: its Message-ID is <REFERENCE.KIND.UNIQUE@domain>."""
    local = (original_message_id or "").strip("<> ").rpartition("@")[0]
    unique = local.rpartition(".")[2]
    if not unique:
        return None
    return session.scalar(
        select(DeliveryRow).where(
            DeliveryRow.enquiry_id == case.id, DeliveryRow.message_id == unique
        )
    )


def _suppress(session: Session, address: str, reason: str, inbound: InboundMailRow) -> None:
    key = address.strip().lower()[:254]
    if key and session.get(SuppressedAddressRow, key) is None:
        session.add(SuppressedAddressRow(address=key, reason=reason, inbound_mail_id=inbound.id))
        session.flush()  # the next address may differ only in case


def _record_bounce(
    session: Session,
    reading: MailReading,
    inbound: InboundMailRow,
    case: EnquiryRow | None,
    bounce: Bounce,
) -> Acted:
    if case is None:
        return Acted("ignored", notes=("bounce of no mail of ours",))
    status = f" {bounce.status}" if bounce.status else ""
    summary = f"delivery failed ({bounce.severity}{status})"
    message = _add_message(session, reading, inbound, case, "bounce")
    message.text = f"{summary}: {', '.join(bounce.recipients) or 'recipient not named'}"
    delivery = _bounced_delivery(session, case, bounce.original_message_id)
    if delivery is not None and bounce.severity == "hard":
        delivery.status = "bounced"
        delivery.last_error = summary
    notes = [summary]
    if bounce.severity == "hard":
        addresses = bounce.recipients or ((delivery.recipient,) if delivery else ())
        for address in addresses:
            _suppress(session, address, f"hard bounce{status} on {case.reference}", inbound)
        notes.append(f"{len(addresses)} address(es) suppressed")
    session.flush()
    return Acted("recorded", case.id, case.reference, notes=tuple(notes))
