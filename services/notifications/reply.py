"""A manager's reply to the enquirer: the manager's own words in the enquirer's language,
from the centre's address with the manager's name, threaded with everything before it.

Reply-To is the centre's intake address, so that the enquirer's answer comes back into
the case; In-Reply-To and References carry the enquirer's Message-IDs and ours.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.notifications.compose import CaseView, Sender
from services.notifications.headers import (
    body_text,
    domain_of,
    header_text,
    mailbox,
    message_id,
    set_address,
    set_text,
    thread_id,
)
from services.notifications.mime import set_alternatives, set_plain
from shared.db.models import (
    AttachmentRow,
    CaseMessageRow,
    DeliveryRow,
    InboundMailRow,
    ManagerRow,
    StaffRow,
    as_utc,
)

MAX_REFERENCES: Final = 20  # RFC 5322 allows more; long chains only cost bytes


@dataclass(frozen=True)
class ReplyFile:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ReplyView:
    author: str  # the manager's name, as the enquirer will see it
    subject: str
    text: str
    files: list[ReplyFile] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)


def load_reply(session: Session, *, delivery_id: int, reference: str, domain: str) -> ReplyView:
    message = session.scalar(
        select(CaseMessageRow).where(CaseMessageRow.delivery_id == delivery_id)
    )
    if message is None:
        raise LookupError(f"no reply message for delivery {delivery_id}")
    author = session.get(StaffRow, message.author_id) if message.author_id else None
    if author is not None and author.manager_id:
        manager = session.get(ManagerRow, author.manager_id)
    else:  # a manager's API token without an account: the sender is the manager's address
        manager = session.scalar(
            select(ManagerRow).where(func.lower(ManagerRow.email) == (message.sender or "").lower())
        )
    files = [
        ReplyFile(a.filename, a.content_type, a.data)
        for a in session.scalars(
            select(AttachmentRow)
            .where(AttachmentRow.case_message_id == message.id)
            .order_by(AttachmentRow.id)
        )
        if a.data is not None
    ]
    parent, chain = _thread(session, message, reference, domain)
    return ReplyView(
        author=manager.name if manager else "",
        subject=message.subject or "",
        text=message.text,
        files=files,
        in_reply_to=parent,
        references=chain,
    )


def _thread(
    session: Session, reply: CaseMessageRow, reference: str, domain: str
) -> tuple[str | None, list[str]]:
    """The enquirer's mails' Message-IDs and ours (the confirmation, earlier replies), in
    the order they were written; the parent is the enquirer's latest mail, else our last."""
    theirs = session.execute(
        select(InboundMailRow.received_at, InboundMailRow.message_id)
        .join(CaseMessageRow, CaseMessageRow.inbound_mail_id == InboundMailRow.id)
        .where(
            CaseMessageRow.enquiry_id == reply.enquiry_id,
            CaseMessageRow.kind.in_(("new", "follow_up")),
        )
    ).all()
    ours = session.execute(
        select(DeliveryRow.sent_at, DeliveryRow.kind, DeliveryRow.message_id).where(
            DeliveryRow.enquiry_id == reply.enquiry_id,
            DeliveryRow.kind.in_(("confirmation", "reply")),
            DeliveryRow.status == "sent",
            DeliveryRow.id != reply.delivery_id,
        )
    ).all()
    timeline: list[tuple[dt.datetime, str, bool]] = []
    for received_at, found in theirs:
        if (parsed := thread_id(found)) is not None:
            timeline.append((as_utc(received_at), parsed, True))
    for sent_at, kind, unique in ours:
        if unique and sent_at is not None:
            timeline.append((as_utc(sent_at), message_id(reference, kind, unique, domain), False))
    timeline.sort(key=lambda item: item[0])
    chain = [mid for _, mid, _ in timeline][-MAX_REFERENCES:]
    from_them = [mid for _, mid, theirs_ in timeline if theirs_]
    parent = from_them[-1] if from_them else (chain[-1] if chain else None)
    return parent, chain


def compose_reply(
    case: CaseView,
    sender: Sender,
    *,
    reply_to: str,
    view: ReplyView,
    unique: str,
) -> EmailMessage:
    if not case.enquirer_email:
        raise ValueError("a reply needs the enquirer's e-mail address")
    msg = EmailMessage(policy=SMTP)
    shown = f"{view.author} – {sender.name}" if view.author else sender.name
    set_address(msg, "From", mailbox(shown, sender.address))
    set_address(msg, "To", mailbox(case.enquirer_name, case.enquirer_email))
    set_address(msg, "Reply-To", mailbox(sender.name, reply_to))
    set_text(msg, "Subject", view.subject or f"[{case.reference}]")
    set_plain(
        msg, "Message-ID", message_id(case.reference, "reply", unique, domain_of(sender.address))
    )
    if view.in_reply_to:
        set_plain(msg, "In-Reply-To", view.in_reply_to)
    if view.references:
        set_plain(msg, "References", " ".join(view.references))
    set_plain(msg, "Content-Language", case.language)
    text = body_text(view.text)
    signature = [
        line
        for line in (
            view.author,
            case.manager_site_name or case.site_name or sender.name,
            case.reference,
        )
        if line
    ]
    plain = f"{text}\n\n-- \n" + "\n".join(signature) + "\n"
    escaped = html.escape(text).replace("\n", "<br>\n")
    markup = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(case.language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;'
        'font-size:15px;line-height:1.5;color:#1f2937;">'
        f'<div dir="auto" style="max-width:640px;overflow-wrap:anywhere;">{escaped}</div>'
        '<p style="margin-top:24px;color:#4b5563;font-size:13px;" dir="auto">'
        + "<br>".join(html.escape(line) for line in signature[:-1])
        + f'<br><span dir="ltr" style="white-space:nowrap;">{html.escape(case.reference)}</span>'
        + "</p></body></html>\n"
    )
    set_alternatives(msg, plain, markup)
    if view.files:
        _attach(msg, view.files)
    return msg


def _attach(msg: EmailMessage, files: list[ReplyFile]) -> None:
    """multipart/mixed: the text and HTML alternatives first, then each file."""
    alternatives = MIMEPart(policy=msg.policy)
    alternatives.set_raw("Content-Type", str(msg["Content-Type"]))
    alternatives.set_payload(msg.get_payload())
    del msg["Content-Type"]
    set_plain(msg, "Content-Type", f'multipart/mixed; boundary="=_wdm{secrets.token_hex(12)}"')
    msg.set_payload([alternatives])
    for file in files:
        part = MIMEPart(policy=msg.policy)
        maintype, _, subtype = file.content_type.lower().partition("/")
        if (
            maintype not in _BINARY_TYPES
            or not subtype.replace(".", "").replace("-", "").replace("+", "").isalnum()
        ):
            maintype, subtype = "application", "octet-stream"
        part.set_content(
            file.data,
            maintype=maintype,
            subtype=subtype,
            disposition="attachment",
            filename=header_text(file.filename, limit=200) or "attachment",
        )
        parts = msg.get_payload()
        assert isinstance(parts, list)
        parts.append(part)


# Types sent as they are; anything else (text, multipart, message) goes as plain bytes.
_BINARY_TYPES: Final = frozenset({"application", "image", "audio", "video"})
