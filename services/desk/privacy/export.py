"""Everything held about one person (GDPR Art. 15): `welcomedesk privacy export` and the
administrators' page, as JSON with the raw mails and the attachments as files.

Per case: what they told us, what was understood and decided, their consent with the
text they saw, the whole thread, each received mail as stored, the mails sent and to
whom, the referrals (which partner got what, when), the history and the audit log's
entries about it. Staff appear by their role and the directory's name, never by their
account. Read in the caller's transaction; the export itself is audited there too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.names import Names, read_names
from services.desk.privacy.find import Found, Person
from shared import consent
from shared.db.models import (
    AttachmentRow,
    AuditRow,
    CaseHistoryRow,
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    InboundMailRow,
    PartnerRow,
    ReferralRow,
    StaffRow,
    SuppressedAddressRow,
    as_utc,
    utcnow,
)
from shared.enquiry import EnquiryFields
from shared.mail_requests import REFERRAL_DATA
from shared.privacy import audit

FORMAT: Final = "welcomedesk-export/1"
# What the enquirer told us: the intake's fields but consent (shown apart) and channel.
TOLD_US: Final = tuple(
    name
    for name in EnquiryFields.model_fields
    if name not in ("consent_processing", "consent_referral", "channel")
)
_UNSAFE = re.compile(r"[^\w.-]+")


def _when(value: dt.datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def safe_name(name: str) -> str:
    """A file name for the archive: letters, digits, dots and dashes only."""
    return _UNSAFE.sub("_", name).strip("._")[:80] or "file"


@dataclass(frozen=True)
class Export:
    data: dict[str, Any]  # export.json
    files: dict[str, bytes]  # path in the archive: bytes (mails/…, attachments/…)

    @property
    def language(self) -> str:
        return str(self.data["language"])


class _Who:
    """Staff as the person may read them: a manager's name or 'administrator'."""

    def __init__(self, session: Session, names: Names) -> None:
        self.names = names
        self.by_email: dict[str, tuple[str, str | None]] = {}
        self.by_id: dict[int, tuple[str, str | None]] = {}
        for staff_id, email, role, manager_id in session.execute(
            select(StaffRow.id, StaffRow.email, StaffRow.role, StaffRow.manager_id)
        ):
            self.by_email[email] = self.by_id[staff_id] = (role, manager_id)

    def _staff(self, role: str, manager_id: str | None) -> dict[str, str | None]:
        if role == "admin":
            return {"kind": "administrator", "name": None}
        return {"kind": "manager", "name": self.names.manager(manager_id)}

    def actor(self, actor: str) -> dict[str, str | None]:
        if actor in ("routing", "enquirer"):
            return {"kind": actor, "name": None}
        found = self.by_email.get(actor)
        return self._staff(*found) if found else {"kind": "staff", "name": None}

    def requester(self, requested_by: str) -> dict[str, str | None]:
        """Who asked for a referral: "auto" (the routing policy), a manager id, an account."""
        if requested_by == "auto":
            return {"kind": "routing", "name": None}
        if "@" in requested_by:
            return self.actor(requested_by)
        return {"kind": "manager", "name": self.names.manager(requested_by)}

    def audited(self, row: AuditRow) -> dict[str, str | None]:
        if row.staff_id in self.by_id:
            return self._staff(*self.by_id[row.staff_id])
        if row.manager_id:
            return self._staff("manager", row.manager_id)
        return {"kind": row.actor, "name": None}


def _consent(case: EnquiryRow, given: bool, at: dt.datetime | None) -> dict[str, Any]:
    record: dict[str, Any] = {"given": given, "at": _when(at), "version": None, "text": None}
    if given and at is not None and case.consent_version:
        language = case.consent_language or "en"
        shown = consent.text(case.consent_version, language)
        record.update(version=shown.version, language=case.consent_language)
        record["text"] = {
            "processing": {"label": shown.processing.label, "text": shown.processing.text},
            "referral": {"label": shown.referral.label, "text": shown.referral.text},
        }
    return record


def _files(session: Session, where: Any, files: dict[str, bytes]) -> dict[int | None, list[Any]]:
    """Attachments by the received mail (or reply) they came with; their bytes to `files`."""
    by_owner: dict[int | None, list[Any]] = {}
    for row in session.scalars(select(AttachmentRow).where(where).order_by(AttachmentRow.id)):
        path = None
        if row.data is not None:
            path = f"attachments/{row.id}-{safe_name(row.filename)}"
            files[path] = row.data
        owner = -row.case_message_id if row.case_message_id else row.inbound_mail_id
        by_owner.setdefault(owner, []).append(
            {
                "filename": row.filename,
                "content_type": row.content_type,
                "size": row.size,
                "file": path,
                "not_kept": row.dropped or (None if path else "deleted"),
            }
        )
    return by_owner


def _mails(session: Session, where: Any, files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Received mails as stored, each its own .eml file."""
    found = []
    for row in session.scalars(select(InboundMailRow).where(where).order_by(InboundMailRow.id)):
        path = None
        if row.raw:
            path = f"mails/{row.id}.eml"
            files[path] = row.raw
        found.append(
            {
                "id": row.id,
                "received_at": _when(row.received_at),
                "kind": row.kind,
                "size": row.size,
                "file": path,
            }
        )
    return found


def _thread(
    session: Session, where: Any, attachments: dict[int | None, list[Any]]
) -> list[dict[str, Any]]:
    thread = []
    for m in session.scalars(
        select(CaseMessageRow).where(where).order_by(CaseMessageRow.received_at, CaseMessageRow.id)
    ):
        owner = m.inbound_mail_id if m.inbound_mail_id else -m.id
        thread.append(
            {
                "at": _when(m.received_at),
                "direction": m.direction,
                "kind": m.kind,
                "from": m.sender if m.direction == "in" else None,
                "subject": m.subject,
                "text": m.text,
                "mail": f"mails/{m.inbound_mail_id}.eml" if m.inbound_mail_id else None,
                "attachments": attachments.get(owner, []),
            }
        )
    return thread


def _case(session: Session, case: EnquiryRow, who: _Who, files: dict[str, bytes]) -> dict[str, Any]:
    names = who.names
    partners = {p.id: p for p in session.scalars(select(PartnerRow))}
    attachments = _files(session, AttachmentRow.enquiry_id == case.id, files)
    return {
        "reference": case.reference,
        "status": case.status,
        "outcome": case.outcome,
        "channel": case.channel,
        "received_at": _when(case.received_at),
        "closed_at": _when(case.closed_at),
        "you_told_us": {field: getattr(case, field) for field in TOLD_US},
        "understood": {
            "language": case.language,
            "requester_type": case.understood_type or case.requester_type,
            "topics": list(case.topics or ()),
            "district": case.district,
            "site": names.site(case.site),
            "needs_interpreter": case.needs_interpreter,
        },
        "manager": names.manager(case.manager_id),
        "routing_reasons": [names.in_text(r) for r in case.reasons or ()],
        "consent": {
            "processing": _consent(case, case.consent_processing, case.consent_at),
            "referral": _consent(case, case.consent_referral, case.consent_referral_at),
        },
        "thread": _thread(session, CaseMessageRow.enquiry_id == case.id, attachments),
        "mails_received": _mails(session, InboundMailRow.enquiry_id == case.id, files),
        "mails_sent": [
            {
                "kind": d.kind,
                "to": d.recipient,
                "to_name": d.recipient_name,
                "status": d.status,
                "created_at": _when(d.created_at),
                "sent_at": _when(d.sent_at),
            }
            for d in session.scalars(
                select(DeliveryRow)
                .where(DeliveryRow.enquiry_id == case.id)
                .order_by(DeliveryRow.id)
            )
        ],
        "referrals": [
            {
                "partner": {
                    "id": r.partner_id,
                    "name": names.partner(r.partner_id),
                    "email": partners[r.partner_id].email if r.partner_id in partners else None,
                },
                "at": _when(r.created_at),
                "by": who.requester(r.requested_by),
                "data_sent": list(REFERRAL_DATA),
            }
            for r in session.scalars(
                select(ReferralRow)
                .where(ReferralRow.enquiry_id == case.id)
                .order_by(ReferralRow.id)
            )
        ],
        "history": [
            {
                "at": _when(h.at),
                "by": who.actor(h.actor),
                "action": h.action,
                "details": h.details,
                "text": h.text,
            }
            for h in session.scalars(
                select(CaseHistoryRow)
                .where(CaseHistoryRow.enquiry_id == case.id)
                .order_by(CaseHistoryRow.at, CaseHistoryRow.id)
            )
        ],
        "access": [
            {"at": _when(a.at), "action": a.action, "by": who.audited(a), "via": a.via}
            for a in session.scalars(
                select(AuditRow).where(AuditRow.enquiry_id == case.id).order_by(AuditRow.id)
            )
        ],
    }


def person_language(cases: list[EnquiryRow]) -> str:
    """The language to write to them in: the latest case's preferred, else understood."""
    for case in reversed(cases):
        for code in (case.preferred_language, case.language):
            if code:
                return code[:2].lower()
    return "en"


def build_export(session: Session, *, person: Person, found: Found, actor: audit.Actor) -> Export:
    """The export of what `found` names; records it in the audit log (caller commits)."""
    files: dict[str, bytes] = {}
    who = _Who(session, read_names(session))
    rows = list(
        session.scalars(
            select(EnquiryRow).where(EnquiryRow.id.in_(found.case_ids)).order_by(EnquiryRow.id)
        )
    )
    attachments = _files(session, AttachmentRow.inbound_mail_id.in_(found.mails), files)
    data: dict[str, Any] = {
        "format": FORMAT,
        "made_at": _when(utcnow()),
        "person": {"email": person.email, "phone": person.phone},
        "language": person_language(rows),
        "cases": [_case(session, row, who, files) for row in rows],
        "mails_elsewhere": {
            "thread": _thread(
                session,
                CaseMessageRow.id.in_(found.messages)
                | CaseMessageRow.inbound_mail_id.in_(found.mails),
                attachments,
            ),
            "mails_received": _mails(session, InboundMailRow.id.in_(found.mails), files),
        },
        "bounce_list": [
            {"address": row.address, "since": _when(row.created_at)}
            for row in session.scalars(
                select(SuppressedAddressRow).where(
                    SuppressedAddressRow.address.in_(found.suppressed)
                )
            )
        ],
        "not_included": {"same_phone_other_address": found.elsewhere},
    }
    connection = session.connection()
    audit.record_many(connection, action="case_exported", actor=actor, enquiry_ids=found.case_ids)
    counts = {"cases": len(rows), "mails": len(found.mails), "files": len(files)}
    audit.record(connection, action="export", actor=actor, details=counts)
    return Export(data, files)
