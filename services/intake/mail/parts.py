"""One MIME part read leniently: its raw headers, type, parameters, bytes and file name.

Headers are read as written (`raw_items`) and parsed here: the header registry of
`policy.default` parses a header afresh on every access, and gives up on some of
the broken values real mail carries.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from email.message import Message
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import unquote_to_bytes

from services.intake.mail.charsets import Hint, decode_bytes, decode_words, raw_bytes
from services.intake.mail.headers import one_line

_TYPE = re.compile(r"^\s*([a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)", re.IGNORECASE)
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
_PARAM = r"""(?:^|;)\s*{name}\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))"""
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_EXTENDED = re.compile(
    r"""(?:^|;)\s*(?P<key>(?:file)?name)\*(?:(?P<index>\d+)(?P<star>\*)?)?\s*=\s*"""
    r"""(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<token>[^;\s]*))""",
    re.IGNORECASE,
)
_NAMED = re.compile(r"(?:^|;)\s*(?:file)?name\*?(?:\d+\*?)?\s*=", re.IGNORECASE)
_MAX_FILENAME = 200
_PLAIN_ENCODINGS = frozenset({"", "7bit", "8bit", "binary"})
# What Message.get_payload(decode=True) decodes itself.
_STANDARD_ENCODINGS = frozenset(
    {"quoted-printable", "base64", "x-uuencode", "uuencode", "uue", "x-uue"}
)

Headers = dict[str, str]


def raw_headers(part: Message) -> Headers:
    """Lower-case name -> first value as written (8-bit bytes surrogate-escaped)."""
    found: Headers = {}
    for name, value in part.raw_items():
        found.setdefault(name.strip().lower(), str(value))
    return found


def content_type(headers: Headers, default: str = "text/plain") -> str:
    match = _TYPE.match(headers.get("content-type", ""))
    return match.group(1).lower() if match else default


def param(headers: Headers, header: str, name: str) -> str | None:
    """A plain parameter (no RFC 2231) of a structured header, unquoted."""
    value = headers.get(header)
    if not value:
        return None
    match = re.search(_PARAM.format(name=re.escape(name)), value, re.IGNORECASE)
    if not match:
        return None
    found = match.group(1) if match.group(1) is not None else match.group(2)
    return re.sub(r"\r?\n[ \t]*", " ", found.replace('\\"', '"')).strip()


def charset(headers: Headers) -> str | None:
    match = _CHARSET.search(headers.get("content-type", ""))
    return match.group(1) if match else None


def disposition(headers: Headers) -> str:
    return headers.get("content-disposition", "").split(";")[0].strip().lower()


def content_id(headers: Headers) -> str | None:
    value = one_line(headers.get("content-id", "")).strip("<> ")
    return value or None


def _transfer_encoding(written: str) -> str:
    squeezed = re.sub(r"[\s_\"';-]+", "", written)
    if squeezed in ("base64", "b64"):
        return "base64"
    if squeezed.startswith("quotedprintable") or squeezed == "qp":
        return "quoted-printable"
    return "identity"


def payload_bytes(part: Message, headers: Headers) -> tuple[bytes, str]:
    """The decoded content of a non-multipart part, and a note if it needed repair."""
    # get_payload(decode=True) gives the bytes as sent (get_payload() would decode them
    # with the declared charset, replacing what does not fit) and decodes the standard
    # transfer encodings leniently; misspelt ones are decoded here.
    decoded = part.get_payload(decode=True)
    if not isinstance(decoded, bytes):
        return b"", ""
    written = one_line(headers.get("content-transfer-encoding", "")).lower()
    if written in _PLAIN_ENCODINGS or written in _STANDARD_ENCODINGS:
        return decoded, ""
    encoding = _transfer_encoding(written)
    if encoding == "base64":
        clean = _NOT_BASE64.sub(b"", decoded)
        if len(clean) % 4 == 1:
            clean = clean[:-1]
        try:
            return base64.b64decode(clean + b"=" * (-len(clean) % 4)), ""
        except (binascii.Error, ValueError):
            return decoded, "base64 content unreadable: kept as is"
    if encoding == "quoted-printable":
        return binascii.a2b_qp(decoded), ""
    return decoded, f"unknown transfer encoding {written[:40]!r}: read as is"


def text_of(part: Message, headers: Headers, *, html: bool) -> tuple[str, str]:
    """A text part's content as text, and a note when its charset was wrong or missing."""
    data, note = payload_bytes(part, headers)
    label = charset(headers)
    if label is None and html:
        meta = _META_CHARSET.search(data[:4096])
        label = meta.group(1).decode("ascii") if meta else None
    text, how = decode_bytes(data, label)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text, "; ".join(n for n in (note, how) if n)


def _extended(value: str, name: str) -> str | None:
    """An RFC 2231 parameter (name*=charset''text, or name*0*=... continued), decoded
    with the charset it names and the usual fallbacks when that is wrong."""
    segments: list[tuple[int, bool, str]] = []
    for match in _EXTENDED.finditer(value):
        if match.group("key").lower() != name:
            continue
        index = match.group("index")
        encoded = index is None or bool(match.group("star"))
        text = match.group("quoted") if match.group("quoted") is not None else match.group("token")
        segments.append((int(index or 0), encoded, text or ""))
    if not segments:
        return None
    segments.sort(key=lambda segment: segment[0])
    label: str | None = None
    data = b""
    for position, (_, encoded, text) in enumerate(segments):
        if encoded and position == 0 and text.count("'") >= 2:
            label, _, text = text.split("'", 2)
        data += unquote_to_bytes(text) if encoded else raw_bytes(text)
    return decode_bytes(data, label or None)[0]


def filename(headers: Headers, index: int, ctype: str, *, hint: Hint = None) -> str:
    """The attachment's file name: RFC 2231 or RFC 2047 decoded, no path; else made up."""
    name: str | None = None
    for header, key in (("content-disposition", "filename"), ("content-type", "name")):
        value = headers.get(header, "")
        name = _extended(value, key) or param(headers, header, key)
        if name:
            break
    if name:
        name = one_line(decode_words(name, hint=hint))
        name = PureWindowsPath(PurePosixPath(name).name).name.strip(". ")
    if not name:
        extension = mimetypes.guess_extension(ctype, strict=False) or ".bin"
        name = f"attachment-{index}{extension}"
    return name[:_MAX_FILENAME]


def has_filename(headers: Headers) -> bool:
    return any(_NAMED.search(headers.get(h, "")) for h in ("content-disposition", "content-type"))
