"""Which mail this is, known before it is parsed: so that a copy seen twice is one mail.

A mail's identity is its Message-ID. Without one, it is a digest of the bytes with
what delivery adds set aside (line endings, which IMAP servers rewrite; trace
headers such as Received and Delivered-To, which differ between the two site
mailboxes that got the same mail; an mbox "From " line). Pure code, never raises.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(rb"\r?\n[ \t]+")
_MESSAGE_ID = re.compile(rb"^message-id[ \t]*:[ \t]*(.*)$", re.IGNORECASE | re.MULTILINE)
_ANGLED = re.compile(rb"<([^<>\s]+)>")
_BARE = re.compile(rb"^([^<>\s]+@[^<>\s]+)")
# Headers that the receiving side adds or rewrites; a mail's own headers stay.
_TRACE = re.compile(
    rb"^(?:received|x-received|return-path|delivered-to|x-original-to|x-delivered-to"
    rb"|envelope-to|x-envelope-(?:from|to)|x-rcpt-to|x-spam-[\w-]+|x-virus-[\w-]+)[ \t]*:",
    re.IGNORECASE,
)
MAX_KEY = 180  # longer Message-IDs are keyed by their digest


@dataclass(frozen=True)
class Identity:
    sha256: str  # of the bytes exactly as received
    message_id: str | None  # "<...>" as the sender wrote it, when there is one
    dedup_key: str  # "mid:..." or "sha256:..."


def _headers(raw: bytes) -> bytes:
    end = _HEADER_END.search(raw)
    return raw[: end.start()] if end else raw


def message_id_of(raw: bytes) -> str | None:
    unfolded = _FOLD.sub(b" ", _headers(raw.lstrip(b"\r\n")))
    found = _MESSAGE_ID.search(unfolded)
    if found is None:
        return None
    value = found.group(1).strip()
    match = _ANGLED.search(value) or _BARE.match(value)
    if match is None:
        return None
    return "<" + match.group(1).decode("utf-8", "replace") + ">"


def _normal_id(message_id: str) -> str:
    """Angle brackets off, the domain in lower case (it is case-insensitive; the rest not)."""
    local, at, domain = message_id.strip("<>").rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else message_id.strip("<>")


def content_digest(raw: bytes) -> str:
    """A digest of the mail as its sender wrote it, the same for every delivered copy."""
    text = raw.replace(b"\r\n", b"\n").lstrip(b"\n")
    if text.startswith(b"From ") and b"\n" in text:
        text = text.split(b"\n", 1)[1]
    head, sep, body = text.partition(b"\n\n")
    kept: list[bytes] = []
    dropping = False
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            if not dropping:
                kept.append(line)
            continue
        dropping = bool(_TRACE.match(line))
        if not dropping:
            kept.append(line)
    digest = hashlib.sha256(b"\n".join(kept) + sep + body.rstrip(b"\n"))
    return digest.hexdigest()


def identify(raw: bytes) -> Identity:
    exact = hashlib.sha256(raw).hexdigest()
    message_id = message_id_of(raw)
    if message_id is not None and len(message_id) > 2:
        normal = _normal_id(message_id)
        if len(normal) <= MAX_KEY:
            return Identity(exact, message_id, f"mid:{normal}")
        return Identity(
            exact, message_id, f"mid-sha256:{hashlib.sha256(normal.encode()).hexdigest()}"
        )
    return Identity(exact, None, f"sha256:{content_digest(raw)}")
