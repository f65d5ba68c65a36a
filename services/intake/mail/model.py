"""What a received mail is made of once parsed: plain values, no I/O, no parser objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mailbox:
    address: str  # as written; compare with `key`
    name: str = ""

    @property
    def key(self) -> str:
        return self.address.strip().lower()


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int  # decoded bytes
    content_id: str | None = None
    dropped: str | None = None  # why the content was not kept (a limit), else None
    data: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class EmbeddedMail:
    """Headers of a mail carried inside this one (message/rfc822, text/rfc822-headers)."""

    message_id: str | None
    subject: str
    sender: str  # the From address, possibly empty


@dataclass(frozen=True)
class DeliveryStatus:
    """One per-recipient block of a message/delivery-status part (RFC 3464)."""

    recipient: str
    action: str  # failed, delayed, delivered, relayed, expanded; lower case
    status: str  # an enhanced status code such as 5.1.1, or ""
    diagnostic: str


@dataclass(frozen=True)
class AttachmentLimits:
    max_bytes: int = 10 * 1024 * 1024  # one file
    max_total_bytes: int = 25 * 1024 * 1024  # all files of a message
    max_count: int = 20


@dataclass(frozen=True)
class ParsedMail:
    message_id: str | None = None  # "<...>"
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    sender: Mailbox | None = None  # From
    reply_to: tuple[Mailbox, ...] = ()
    to: tuple[Mailbox, ...] = ()
    cc: tuple[Mailbox, ...] = ()
    subject: str = ""
    date: dt.datetime | None = None
    content_type: str = "text/plain"  # of the whole message
    headers: dict[str, str] = field(default_factory=dict)  # lower-case name -> first value
    text: str = ""  # the best text body; HTML-only mail turned into text
    html: str | None = None  # the first HTML body as sent, if any
    attachments: tuple[Attachment, ...] = ()
    embedded: tuple[EmbeddedMail, ...] = ()
    delivery_status: tuple[DeliveryStatus, ...] = ()
    notes: tuple[str, ...] = ()  # what was odd, repaired or dropped

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")
