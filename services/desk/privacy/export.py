"""Everything held about one person (GDPR Art. 15): `welcomedesk privacy export` and the
administrators' page, as JSON with the raw mails and the attachments as files.

Per case: what they told us, what was understood and decided, their consent with the
text they saw, the whole thread, each received mail as stored, the mails sent and to
whom, the referrals (which partner got what, when), the history and the audit log's
entries about it. Staff appear by their role and the directory's name, never by their
account. Read in the caller's transaction; the export itself is audited there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.names import read_names
from services.desk.privacy.find import Found, Person
from services.desk.privacy.parts import (
    Who,
    consent_record,
    files_of,
    mails_of,
    thread_of,
    when,
)
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
    SuppressedAddressRow,
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


@dataclass(frozen=True)
class Export:
    data: dict[str, Any]  # export.json
    files: dict[str, bytes]  # path in the archive: bytes (mails/…, attachments/…)

    @property
    def language(self) -> str:
        return str(self.data["language"])


def _case(session: Session, case: EnquiryRow, who: Who, files: dict[str, bytes]) -> dict[str, Any]:
    names = who.names
    partners = {p.id: p for p in session.scalars(select(PartnerRow))}
    attachments = files_of(session, AttachmentRow.enquiry_id == case.id, files)
    return {
        "reference": case.reference,
        "status": case.status,
        "outcome": case.outcome,
        "channel": case.channel,
        "received_at": when(case.received_at),
        "closed_at": when(case.closed_at),
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
            "processing": consent_record(case, case.consent_processing, case.consent_at),
            "referral": consent_record(case, case.consent_referral, case.consent_referral_at),
        },
        "thread": thread_of(session, CaseMessageRow.enquiry_id == case.id, attachments),
        "mails_received": mails_of(session, InboundMailRow.enquiry_id == case.id, files),
        "mails_sent": [
            {
                "kind": d.kind,
                "to": d.recipient,
                "to_name": d.recipient_name,
                "status": d.status,
                "created_at": when(d.created_at),
                "sent_at": when(d.sent_at),
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
                "at": when(r.created_at),
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
                "at": when(h.at),
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
            {"at": when(a.at), "action": a.action, "by": who.audited(a), "via": a.via}
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
    who = Who(session, read_names(session))
    rows = list(
        session.scalars(
            select(EnquiryRow).where(EnquiryRow.id.in_(found.case_ids)).order_by(EnquiryRow.id)
        )
    )
    attachments = files_of(session, AttachmentRow.inbound_mail_id.in_(found.mails), files)
    data: dict[str, Any] = {
        "format": FORMAT,
        "made_at": when(utcnow()),
        "person": {"email": person.email, "phone": person.phone},
        "language": person_language(rows),
        "cases": [_case(session, row, who, files) for row in rows],
        "mails_elsewhere": {
            "thread": thread_of(
                session,
                CaseMessageRow.id.in_(found.messages)
                | CaseMessageRow.inbound_mail_id.in_(found.mails),
                attachments,
            ),
            "mails_received": mails_of(session, InboundMailRow.id.in_(found.mails), files),
        },
        "bounce_list": [
            {"address": row.address, "since": when(row.created_at)}
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
