"""The case as the case page and `GET /api/v1/cases/{reference}` show it: its fields, the
whole thread, the routing decision with names, deliveries, referrals and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from services.desk.cases.access import find_case, is_owner
from services.desk.cases.names import Directory, Names, read_directory
from services.desk.cases.replies import bounced
from services.desk.staff import Staff
from shared import reasons
from shared.db.models import (
    AttachmentRow,
    CaseHistoryRow,
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    ManagerRow,
    ReferralRow,
    StaffRow,
)


@dataclass(frozen=True)
class Attachment:
    id: int
    filename: str
    content_type: str
    size: int
    dropped: str | None
    kept: bool = True  # False once its bytes are gone (a limit, or the retention period)


@dataclass(frozen=True)
class Consent:
    """A consent as recorded: given or not, to which version of the text, in which
    language, when. A mail gives consent to processing by writing, with no text shown."""

    given: bool
    version: str | None
    language: str | None
    at: dt.datetime | None


@dataclass(frozen=True)
class ThreadItem:
    id: int
    direction: str  # in, out, internal
    kind: str  # enquiry, new, follow_up, bounce, auto_reply, note, reply
    at: dt.datetime
    sender: str | None
    subject: str | None
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    delivery_status: str | None = None


@dataclass(frozen=True)
class Excluded:
    manager_id: str
    manager: str
    why: str


@dataclass(frozen=True)
class Decision:
    reasons: list[str]
    excluded: list[Excluded]
    suggested_partners: list[dict[str, str]]
    needs_interpreter: bool


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: str
    recipient: str
    recipient_name: str | None
    status: str
    attempts: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Referral:
    partner_id: str
    partner: str
    requested_by: str
    at: dt.datetime


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    actor: str
    action: str
    details: dict[str, Any]
    text: str | None


@dataclass(frozen=True)
class CaseDetail:
    reference: str
    status: str
    version: int
    outcome: str | None
    channel: str
    received_at: dt.datetime
    assigned_at: dt.datetime | None
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    name: str | None
    email: str | None
    phone: str | None
    company: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    subject: str | None
    message: str
    requester_type: str | None
    language: str | None
    preferred_language: str | None
    topics: list[str]
    district: str | None
    site: str | None
    site_name: str | None
    manager_id: str | None
    manager_name: str | None
    needs_interpreter: bool
    consent_referral: bool
    consent: Consent  # to processing
    referral_consent: Consent  # to a referral to a partner
    decision: Decision
    thread: list[ThreadItem]
    deliveries: list[Delivery]
    referrals: list[Referral]
    history: list[HistoryEntry]
    can_change: bool  # the case's manager or an administrator
    partners: list[dict[str, str]]  # whom it could be referred to: suggested ones first
    managers: list[dict[str, str]]  # whom it could be reassigned to
    email_bounced: bool  # mail to the enquirer bounced hard: a reply may not arrive
    corrected_at: dt.datetime | None
    corrected_by: str | None
    anonymised_at: dt.datetime | None  # the enquirer's data was removed: when
    anonymised_why: str | None  # erasure, retention
    # The managers' names for the staff addresses the thread and the history name.
    staff_names: dict[str, str] = field(default_factory=dict)


def read_case(
    session: Session, *, staff: Staff, reference: str, language: str = "en"
) -> CaseDetail:
    """`language`: the routing reasons are said in German or English (staff languages)."""
    case = find_case(session, staff, reference)
    directory = read_directory(session)
    names = directory.names
    deliveries = list(
        session.scalars(
            select(DeliveryRow).where(DeliveryRow.enquiry_id == case.id).order_by(DeliveryRow.id)
        )
    )
    return CaseDetail(
        reference=str(case.reference),
        status=case.status,
        version=case.version,
        outcome=case.outcome,
        channel=case.channel,
        received_at=case.received_at,
        assigned_at=case.assigned_at,
        accepted_at=case.accepted_at,
        closed_at=case.closed_at,
        name=case.name,
        email=case.email,
        phone=case.phone,
        company=case.company,
        postal_code=case.postal_code,
        city=case.city,
        country=case.country,
        subject=case.subject,
        message=case.message,
        requester_type=case.understood_type or case.requester_type,
        language=case.language,
        preferred_language=case.preferred_language,
        topics=list(case.topics or ()),
        district=case.district,
        site=case.site,
        site_name=names.site(case.site),
        manager_id=case.manager_id,
        manager_name=names.manager(case.manager_id),
        needs_interpreter=case.needs_interpreter,
        consent_referral=case.consent_referral,
        consent=Consent(
            case.consent_processing, case.consent_version, case.consent_language, case.consent_at
        ),
        referral_consent=Consent(
            case.consent_referral,
            case.consent_version if case.consent_referral_at else None,
            case.consent_language if case.consent_referral_at else None,
            case.consent_referral_at,
        ),
        decision=_decision(case, names, "de" if language == "de" else "en"),
        thread=_thread(session, case, {d.id: d.status for d in deliveries}),
        deliveries=[_delivery(d) for d in deliveries],
        referrals=_referrals(session, case, names),
        history=_history(session, case),
        can_change=is_owner(staff, case),
        partners=_partners(directory, case),
        managers=_managers(directory, case),
        email_bounced=bounced(session, case.email),
        corrected_at=case.corrected_at,
        corrected_by=case.corrected_by,
        anonymised_at=case.anonymised_at,
        anonymised_why=case.anonymised_why,
        staff_names=_staff_names(session, case),
    )


def _staff_names(session: Session, case: EnquiryRow) -> dict[str, str]:
    """The names of the staff this case's history, thread and correction name by address."""
    named = (
        select(CaseHistoryRow.actor)
        .where(CaseHistoryRow.enquiry_id == case.id)
        .union(
            select(CaseMessageRow.sender).where(
                CaseMessageRow.enquiry_id == case.id, CaseMessageRow.direction != "in"
            )
        )
    )
    wanted = or_(StaffRow.email.in_(named), StaffRow.email == case.corrected_by)
    rows = session.execute(
        select(StaffRow.email, ManagerRow.name)
        .join(ManagerRow, ManagerRow.id == StaffRow.manager_id)
        .where(wanted)
    )
    return {email: name for email, name in rows}


def _decision(case: EnquiryRow, names: Names, language: reasons.StaffLanguage) -> Decision:
    said = reasons.Names(managers=names.managers, partners=names.partners, sites=names.sites)
    lines = [
        names.in_text(line) if reasons.parse(line).kind == reasons.UNKNOWN else rendered
        for line, rendered in zip(
            case.reasons or (), reasons.render_all(case.reasons or (), said, language), strict=True
        )
    ]
    return Decision(
        reasons=lines,
        excluded=[
            Excluded(
                e["manager"],
                names.manager(e["manager"]) or e["manager"],
                reasons.render_exclusion(e["manager"], e["why"], said, language),
            )
            for e in case.excluded or ()
        ],
        suggested_partners=[
            {"id": p, "name": names.partner(p)} for p in case.suggested_partners or ()
        ],
        needs_interpreter=case.needs_interpreter,
    )


# A file's facts without its bytes, which only a download reads.
_FILE_COLUMNS = (
    AttachmentRow.id,
    AttachmentRow.case_message_id,
    AttachmentRow.inbound_mail_id,
    AttachmentRow.filename,
    AttachmentRow.content_type,
    AttachmentRow.size,
    AttachmentRow.dropped,
)


def _thread(session: Session, case: EnquiryRow, statuses: dict[int, str]) -> list[ThreadItem]:
    messages = list(
        session.scalars(
            select(CaseMessageRow)
            .where(CaseMessageRow.enquiry_id == case.id)
            .order_by(CaseMessageRow.received_at, CaseMessageRow.id)
        )
    )
    # A received mail's files belong to its message; a reply's files to the reply.
    files: dict[tuple[str, int | None], list[Attachment]] = {}
    for row in session.execute(
        select(*_FILE_COLUMNS, AttachmentRow.data.is_not(None).label("kept"))
        .where(AttachmentRow.enquiry_id == case.id)
        .order_by(AttachmentRow.id)
    ):
        key = (
            ("reply", row.case_message_id) if row.case_message_id else ("mail", row.inbound_mail_id)
        )
        files.setdefault(key, []).append(
            Attachment(row.id, row.filename, row.content_type, row.size, row.dropped, row.kept)
        )
    items: list[ThreadItem] = []
    if not any(m.kind == "new" for m in messages):  # a mailed enquiry's first mail is its text
        items.append(
            ThreadItem(0, "in", "enquiry", case.received_at, case.name, case.subject, case.message)
        )
    for m in messages:
        items.append(
            ThreadItem(
                id=m.id,
                direction=m.direction,
                kind=m.kind,
                at=m.received_at,
                sender=m.sender,
                subject=m.subject,
                text=m.text,
                attachments=files.get(("mail", m.inbound_mail_id), [])
                if m.inbound_mail_id
                else files.get(("reply", m.id), []),
                delivery_status=statuses.get(m.delivery_id) if m.delivery_id else None,
            )
        )
    return items


def _delivery(d: DeliveryRow) -> Delivery:
    return Delivery(
        d.id,
        d.kind,
        d.recipient,
        d.recipient_name,
        d.status,
        d.attempts,
        d.created_at,
        d.sent_at,
        d.last_error,
    )


def _referrals(session: Session, case: EnquiryRow, names: Names) -> list[Referral]:
    rows = session.scalars(
        select(ReferralRow).where(ReferralRow.enquiry_id == case.id).order_by(ReferralRow.id)
    )
    return [
        Referral(r.partner_id, names.partner(r.partner_id), r.requested_by, r.created_at)
        for r in rows
    ]


def _history(session: Session, case: EnquiryRow) -> list[HistoryEntry]:
    rows = session.scalars(
        select(CaseHistoryRow)
        .where(CaseHistoryRow.enquiry_id == case.id)
        .order_by(CaseHistoryRow.at, CaseHistoryRow.id)
    )
    return [HistoryEntry(h.at, h.actor, h.action, dict(h.details or {}), h.text) for h in rows]


def _partners(directory: Directory, case: EnquiryRow) -> list[dict[str, str]]:
    suggested = list(case.suggested_partners or ())
    everyone = [{"id": pid, "name": name} for pid, name in directory.partners]
    first = [p for s in suggested for p in everyone if p["id"] == s]
    return first + [p for p in everyone if p["id"] not in suggested]


def _managers(directory: Directory, case: EnquiryRow) -> list[dict[str, str]]:
    """Whom the case can be reassigned to: the active managers but its own."""
    return [
        {"id": m.id, "name": m.name, "site": m.site}
        for m in directory.managers
        if m.active and m.id != (case.manager_id or "")
    ]
