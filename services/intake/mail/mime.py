"""Walking a message's MIME tree: the text to read, the attachments, the report parts.

multipart/alternative yields its plain text when that has content, else its HTML;
multipart/related its root; parts an HTML body shows by "cid:" are inline images,
not attachments. The parts of a delivery report (RFC 3464) are read for the
bounce, not listed as attachments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_string
from email.message import Message
from email.policy import compat32
from urllib.parse import unquote

from services.intake.mail import parts
from services.intake.mail.charsets import decode_bytes, unescape
from services.intake.mail.headers import message_ids, one_line, text_header
from services.intake.mail.model import DeliveryStatus, EmbeddedMail

MAX_DEPTH = 25
MAX_PARTS = 1000
_TEXT_TYPES = frozenset({"text/plain", "text/html", "text/enriched", "text/richtext"})
_CID = re.compile(r"""cid:([^"'\s<>)]+)""", re.IGNORECASE)


@dataclass
class Leaf:
    part: Message
    ctype: str
    headers: parts.Headers


@dataclass
class Shared:
    """What every branch of the walk adds to, whichever alternative is chosen."""

    cids: set[str] = field(default_factory=set)
    embedded: list[EmbeddedMail] = field(default_factory=list)
    statuses: list[DeliveryStatus] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    defects: set[str] = field(default_factory=set)
    charsets: list[str] = field(default_factory=list)
    count: int = 0


@dataclass
class Walk:
    shared: Shared = field(default_factory=Shared)
    pieces: list[tuple[str, str]] = field(default_factory=list)  # (plain|html, text)
    leaves: list[Leaf] = field(default_factory=list)

    def fork(self) -> Walk:
        return Walk(self.shared)

    def note(self, text: str) -> None:
        if text not in self.shared.notes:
            self.shared.notes.append(text)

    def has_text(self, kind: str) -> bool:
        return any(k == kind and text.strip() for k, text in self.pieces)

    def visit(
        self, part: Message, depth: int = 0, *, top: bool = False, default: str = "text/plain"
    ) -> None:
        shared = self.shared
        shared.count += 1
        if shared.count > MAX_PARTS or depth > MAX_DEPTH:
            self.note("too many or too deeply nested parts: the rest ignored")
            return
        shared.defects.update(type(d).__name__ for d in getattr(part, "defects", ()))
        headers = parts.raw_headers(part)
        ctype = parts.content_type(headers, default)
        label = parts.charset(headers)
        if label:
            shared.charsets.append(label)
        payload = part.get_payload()
        if ctype.startswith("multipart/"):
            children = (
                [c for c in payload if isinstance(c, Message)] if isinstance(payload, list) else []
            )
            if children:
                self._multipart(ctype, headers, children, depth)
                return
            self.note(f"{ctype} without readable parts: read as text")
            ctype = "text/plain"
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            self._delivery_status(part, headers)
        elif isinstance(payload, list) or ctype in ("message/rfc822", "message/global"):
            self._message(part, headers, payload, ctype)
        elif ctype in ("text/rfc822-headers", "text/global-headers"):
            text, _ = parts.text_of(part, headers, html=False)
            self._embed(message_from_string(text, policy=compat32))
        elif (
            ctype in _TEXT_TYPES
            and parts.disposition(headers) != "attachment"
            and (top or not parts.has_filename(headers))
        ):
            self._text(part, headers, ctype)
        else:
            self.leaves.append(Leaf(part, ctype, headers))

    def _text(self, part: Message, headers: parts.Headers, ctype: str) -> None:
        html = ctype == "text/html"
        text, note = parts.text_of(part, headers, html=html)
        if note:
            self.note(f"{ctype}: {note}")
        if html:
            self.shared.cids.update(unquote(c).lower() for c in _CID.findall(text))
        self.pieces.append(("html" if html else "plain", text))

    def _multipart(
        self, ctype: str, headers: parts.Headers, children: list[Message], depth: int
    ) -> None:
        subtype = ctype.partition("/")[2]
        if subtype == "alternative":
            self._alternative(children, depth)
            return
        if subtype == "related":
            start = (parts.param(headers, "content-type", "start") or "").strip("<> ")
            ids = [parts.content_id(parts.raw_headers(c)) for c in children]
            root = ids.index(start) if start and start in ids else 0
            self.visit(children[root], depth + 1)
            for index, child in enumerate(children):
                if index != root:
                    self.visit(child, depth + 1)
            return
        if subtype == "report" and len(children) > 1:
            # The human-readable notice is the text; the rest is read for the bounce only.
            self.visit(children[0], depth + 1)
            for child in children[1:]:
                self.fork().visit(child, depth + 1)
            return
        if subtype == "encrypted":
            self.note("encrypted message: its content cannot be read")
        default = "message/rfc822" if subtype == "digest" else "text/plain"
        for child in children:
            self.visit(child, depth + 1, default=default)

    def _alternative(self, children: list[Message], depth: int) -> None:
        forks = []
        for child in children:
            fork = self.fork()
            fork.visit(child, depth + 1)
            forks.append(fork)
            self.leaves.extend(fork.leaves)
        plain = [f for f in forks if f.has_text("plain")]
        html = [f for f in forks if f.has_text("html")]
        with_text = [f for f in forks if f.pieces]
        chosen = plain[0] if plain else html[-1] if html else with_text[-1] if with_text else None
        if chosen is not None:
            self.pieces.extend(chosen.pieces)

    def _message(self, part: Message, headers: parts.Headers, payload: object, ctype: str) -> None:
        inner = payload[0] if isinstance(payload, list) and payload else None
        if isinstance(inner, Message):
            self._embed(inner)
        elif isinstance(payload, str):
            text, _ = decode_bytes(parts.payload_bytes(part, headers)[0], "utf-8")
            self._embed(message_from_string(text, policy=compat32))
        self.leaves.append(Leaf(part, ctype, headers))

    def _embed(self, inner: Message) -> None:
        found = parts.raw_headers(inner)
        ids = message_ids(found.get("message-id"))
        sender = re.search(r"[^\s<>\"]+@[^\s<>\"]+", unescape(found.get("from", "")))
        self.shared.embedded.append(
            EmbeddedMail(
                message_id=ids[0] if ids else None,
                subject=text_header(found.get("subject", "")),
                sender=sender.group(0) if sender else "",
            )
        )

    def _delivery_status(self, part: Message, headers: parts.Headers) -> None:
        payload = part.get_payload()
        if isinstance(payload, list):
            blocks = [parts.raw_headers(b) for b in payload if isinstance(b, Message)]
        else:
            text, _ = decode_bytes(parts.payload_bytes(part, headers)[0], "utf-8")
            blocks = [_fields(block) for block in re.split(r"\n\s*\n", text.replace("\r", ""))]
        for block in blocks:
            recipient = block.get("final-recipient") or block.get("original-recipient")
            if not recipient and not block.get("status"):
                continue  # the per-message block: Reporting-MTA, Arrival-Date
            status = re.search(r"\b[245]\.\d{1,3}\.\d{1,3}\b", block.get("status", ""))
            self.shared.statuses.append(
                DeliveryStatus(
                    recipient=one_line(unescape(recipient or "")).rpartition(";")[2].strip(),
                    action=one_line(block.get("action", "")).lower(),
                    status=status.group(0) if status else "",
                    diagnostic=one_line(unescape(block.get("diagnostic-code", "")))[:500],
                )
            )


def _fields(block: str) -> dict[str, str]:
    found: dict[str, str] = {}
    name = ""
    for line in block.split("\n"):
        if line[:1] in (" ", "\t") and name:
            found[name] += " " + line.strip()
        elif ":" in line:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            found.setdefault(name, value.strip())
    return found
