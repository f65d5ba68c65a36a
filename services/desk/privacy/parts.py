"""The pieces of an export: moments, file names, staff as a person may read them, consent
with its text, received mails and files (their bytes to the archive), thread messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.names import Names
from shared import consent
from shared.db.models import (
    AttachmentRow,
    AuditRow,
    CaseMessageRow,
    EnquiryRow,
    InboundMailRow,
    StaffRow,
    as_utc,
)

_UNSAFE = re.compile(r"[^\w.-]+")


def when(value: dt.datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def safe_name(name: str) -> str:
    """A file name for the archive: letters, digits, dots and dashes only."""
    return _UNSAFE.sub("_", name).strip("._")[:80] or "file"


class Who:
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


def consent_record(case: EnquiryRow, given: bool, at: dt.datetime | None) -> dict[str, Any]:
    record: dict[str, Any] = {"given": given, "at": when(at), "version": None, "text": None}
    if given and at is not None and case.consent_version:
        language = case.consent_language or "en"
        shown = consent.text(case.consent_version, language)
        record.update(version=shown.version, language=case.consent_language)
        record["text"] = {
            "processing": {"label": shown.processing.label, "text": shown.processing.text},
            "referral": {"label": shown.referral.label, "text": shown.referral.text},
        }
    return record


def files_of(session: Session, where: Any, files: dict[str, bytes]) -> dict[int | None, list[Any]]:
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


def mails_of(session: Session, where: Any, files: dict[str, bytes]) -> list[dict[str, Any]]:
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
                "received_at": when(row.received_at),
                "kind": row.kind,
                "size": row.size,
                "file": path,
            }
        )
    return found


def thread_of(
    session: Session, where: Any, attachments: dict[int | None, list[Any]]
) -> list[dict[str, Any]]:
    thread = []
    for m in session.scalars(
        select(CaseMessageRow).where(where).order_by(CaseMessageRow.received_at, CaseMessageRow.id)
    ):
        owner = m.inbound_mail_id if m.inbound_mail_id else -m.id
        thread.append(
            {
                "at": when(m.received_at),
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
