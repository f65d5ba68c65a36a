"""Answering the enquirer from the case: the reply joins the thread and goes out as a
mail through the notifications service (an event, never from the web process); the
case then waits for the enquirer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.access import find_case
from services.desk.cases.errors import ActionRefusedError, InvalidInputError
from services.desk.cases.lifecycle import (
    Changed,
    checked,
    clean_text,
    history,
    not_anonymised,
    owned,
)
from services.desk.staff import Staff
from shared.db.models import AttachmentRow, CaseMessageRow, SuppressedAddressRow, utcnow
from shared.mail_requests import request_mail
from shared.vocabulary import OPEN_STATUSES

MAX_REPLY = 50_000


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class FileLimits:
    """The same limits as for files that come in by mail."""

    per_file: int
    per_reply: int
    count: int


def check_uploads(uploads: Sequence[Upload], limits: FileLimits) -> None:
    if len(uploads) > limits.count:
        raise InvalidInputError(f"attachments: at most {limits.count} files", field="attachments")
    for upload in uploads:
        if len(upload.data) > limits.per_file:
            raise InvalidInputError(
                f"attachments: {upload.filename} is larger than {limits.per_file // 1024} KB",
                field="attachments",
            )
    if sum(len(u.data) for u in uploads) > limits.per_reply:
        raise InvalidInputError(
            f"attachments: together larger than {limits.per_reply // 1024} KB",
            field="attachments",
        )


def _printable(text: str | None) -> str:
    """A file's name or type as a browser sent it, without control characters (they end up
    in a header of the reply) or anything that cannot be stored."""
    kept = "".join(ch for ch in (text or "") if ch.isprintable())
    return kept.encode("utf-8", "ignore").decode("utf-8").strip()


def bounced(session: Session, address: str | None) -> bool:
    """Whether mail to the address bounced hard: the reply form says so before sending."""
    if not address:
        return False
    found = session.scalar(
        select(SuppressedAddressRow.address).where(
            SuppressedAddressRow.address == address.strip().lower()
        )
    )
    return found is not None


def subject_of(reference: str, subject: str | None, message: str) -> str:
    """'[WC-…] ' and the case's subject; without one, the start of the enquiry's text."""
    topic = " ".join((subject or "").split()) or " ".join(message.split())[:60]
    return f"[{reference}] {topic}".strip()[:300]


def reply(
    session: Session,
    *,
    staff: Staff,
    reference: str,
    version: int | None,
    text: str | None,
    uploads: Sequence[Upload] = (),
    limits: FileLimits,
) -> Changed:
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    if case.status == "closed":
        raise ActionRefusedError(
            f"{case.reference} is closed: reopen it first if the enquirer should get an answer"
        )
    owned(staff, case, "answer")
    if case.status not in OPEN_STATUSES:
        raise ActionRefusedError(f"{case.reference} is {case.status}: nobody can answer yet")
    if not case.email:
        raise ActionRefusedError(
            f"{case.reference} has no e-mail address: answer by phone and write a note"
        )
    body = clean_text(text, "text", MAX_REPLY, required=True)
    check_uploads(uploads, limits)
    now = utcnow()
    message = CaseMessageRow(
        enquiry_id=case.id,
        direction="out",
        kind="reply",
        received_at=now,
        sender=staff.actor,
        subject=subject_of(str(case.reference), case.subject, case.message),
        text=body or "",
        author_id=staff.id,
    )
    session.add(message)
    session.flush()
    for upload in uploads:
        session.add(
            AttachmentRow(
                enquiry_id=case.id,
                case_message_id=message.id,
                filename=_printable(upload.filename)[:255] or "attachment",
                content_type=_printable(upload.content_type)[:127] or "application/octet-stream",
                size=len(upload.data),
                data=upload.data,
                created_at=now,
            )
        )
    delivery_id, event_id = request_mail(
        session, enquiry=case, kind="reply", recipient=case.email, recipient_name=case.name
    )
    message.delivery_id = delivery_id
    if case.accepted_at is None:
        case.accepted_at = now  # answering is taking the case on
    case.status = "waiting"
    case.version += 1
    history(session, case, staff, "replied", delivery=delivery_id, files=len(uploads))
    return Changed(case, "replied", (event_id,))
