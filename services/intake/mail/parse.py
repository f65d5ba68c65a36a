"""One RFC 5322 message, as bytes, into a `ParsedMail`; never raises, whatever the input."""

from __future__ import annotations

import re
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import Message
from email.parser import BytesParser
from functools import lru_cache
from typing import Any

from services.intake.mail import parts, repair
from services.intake.mail.charsets import decode_bytes, unescape
from services.intake.mail.headers import (
    mailboxes,
    message_ids,
    one_line,
    parse_date,
    text_header,
)
from services.intake.mail.htmltext import html_to_text
from services.intake.mail.mime import Leaf, Walk
from services.intake.mail.model import Attachment, AttachmentLimits, Mailbox, ParsedMail


class _Registry(HeaderRegistry):
    """policy.default's header registry, keeping the classes it makes and the headers it
    parses: the stock one builds a class and parses a header on every access, and the
    parser asks for each part's Content-Type several times (most of the parse time)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._parsed = lru_cache(maxsize=4096)(self._parse)

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]

    def _parse(self, name: str, value: str) -> BaseHeader:
        return self[name](name, value)

    def __call__(self, name: str, value: Any) -> BaseHeader:
        if isinstance(value, str):
            return self._parsed(name, value)
        return self[name](name, value)


_PARSER = BytesParser(policy=policy.default.clone(header_factory=_Registry()))
_MAX_HEADER = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_mail(raw: bytes, *, limits: AttachmentLimits | None = None) -> ParsedMail:
    limits = limits or AttachmentLimits()
    try:
        return _parse(raw, limits)
    except Exception as error:  # the contract is to never raise: the note says what happened
        text, _ = decode_bytes(raw.partition(b"\n\n")[2] or raw, "utf-8")
        return ParsedMail(
            text=_clean(text)[:100_000],
            notes=(f"unreadable message ({type(error).__name__}): its bytes read as text",),
        )


def _parse(raw: bytes, limits: AttachmentLimits) -> ParsedMail:
    raw, preamble = repair.strip_preamble(raw)
    raw, repaired = repair.repair_headers(raw)
    notes: list[str] = [n for n in (preamble, repaired) if n]
    if not raw.strip():
        notes.append("empty message")
    message = _PARSER.parsebytes(raw)
    walk = Walk()
    walk.visit(message, top=True)
    shared = walk.shared
    hint = list(dict.fromkeys(shared.charsets))
    headers = parts.raw_headers(message)

    senders = _senders(message, headers, hint, notes)
    ids = message_ids(headers.get("message-id"))
    if not ids:
        notes.append("no Message-ID")
    text, html = _body(walk.pieces)
    attachments = _attachments(walk.leaves, shared.cids, limits, notes, hint)
    inline = len(walk.leaves) - len(attachments)
    if inline:
        notes.append(f"{inline} inline image(s) of the HTML body, not attachments")
    if shared.defects:
        notes.append("MIME defects: " + ", ".join(sorted(shared.defects)))
    return ParsedMail(
        message_id=ids[0] if ids else None,
        in_reply_to=message_ids(headers.get("in-reply-to")),
        references=message_ids(headers.get("references")),
        sender=senders[0] if senders else None,
        reply_to=mailboxes(headers.get("reply-to"), hint=hint),
        to=mailboxes(headers.get("to"), hint=hint),
        cc=mailboxes(headers.get("cc"), hint=hint),
        subject=text_header(headers.get("subject", ""), hint=hint),
        date=parse_date(headers.get("date")),
        content_type=parts.content_type(headers),
        headers={k: one_line(unescape(v, hint=hint))[:_MAX_HEADER] for k, v in headers.items()},
        text=text,
        html=html,
        attachments=attachments,
        embedded=tuple(shared.embedded),
        delivery_status=tuple(shared.statuses),
        notes=tuple(notes + shared.notes),
    )


def _senders(
    message: Message, headers: parts.Headers, hint: list[str], notes: list[str]
) -> tuple[Mailbox, ...]:
    """From, else (a From without an address) Sender, Reply-To or Return-Path."""
    for name, value in message.raw_items():
        if name.strip().lower() != "from":
            continue
        found = mailboxes(value, hint=hint)
        if found:
            if len(found) > 1:
                notes.append(f"{len(found)} addresses in From: the first taken")
            return found
    for name in ("sender", "reply-to", "return-path"):
        found = mailboxes(headers.get(name), hint=hint)
        if found:
            notes.append(f"no address in From: the sender taken from {name.title()}")
            return found
    notes.append("no sender address")
    return ()


def _clean(text: str) -> str:
    lines = _CONTROL.sub("", text).replace("\u00a0", " ").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _body(pieces: list[tuple[str, str]]) -> tuple[str, str | None]:
    texts: list[str] = []
    html: str | None = None
    for kind, text in pieces:
        if kind == "html":
            html = text if html is None else html
            text = html_to_text(text)
        text = _clean(text)
        if text.strip():
            texts.append(text)
    return "\n\n".join(texts), html


def _attachments(
    leaves: list[Leaf],
    cids: set[str],
    limits: AttachmentLimits,
    notes: list[str],
    hint: list[str],
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    total = kept = 0
    for leaf in leaves:
        cid = parts.content_id(leaf.headers)
        if cid and cid.lower() in cids:
            continue
        data, note = parts.payload_bytes(leaf.part, leaf.headers)
        if leaf.ctype in ("message/rfc822", "message/global") and not data:
            data = _message_bytes(leaf)
        name = parts.filename(leaf.headers, len(found) + 1, leaf.ctype, hint=hint)
        dropped = None
        if len(data) > limits.max_bytes:
            dropped = f"larger than {limits.max_bytes} bytes"
        elif total + len(data) > limits.max_total_bytes:
            dropped = f"attachments over {limits.max_total_bytes} bytes in all"
        elif kept >= limits.max_count:
            dropped = f"more than {limits.max_count} attachments"
        if dropped:
            notes.append(f"attachment {name!r} dropped: {dropped}")
        else:
            total += len(data)
            kept += 1
        if note:
            notes.append(f"attachment {name!r}: {note}")
        found.append(
            Attachment(
                filename=name,
                content_type=leaf.ctype,
                size=len(data),
                content_id=cid,
                dropped=dropped,
                data=b"" if dropped else data,
            )
        )
    return tuple(found)


def _message_bytes(leaf: Leaf) -> bytes:
    payload = leaf.part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if not isinstance(inner, Message):
        return b""
    try:
        return inner.as_bytes(policy=policy.compat32)
    except (ValueError, TypeError, LookupError, UnicodeError, AttributeError):
        return b""  # the size is then unknown; the whole message is kept anyway
