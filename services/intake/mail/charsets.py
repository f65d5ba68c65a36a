"""Bytes to text under any declared, mislabelled or missing charset, never raising.

The order of trust: the declared charset (through an alias table of labels that
mail programs write but Python does not know) and its siblings (Shift_JIS for a
wrong ISO-2022-JP), then UTF-8, then the charsets the rest of the message
declares, then Windows-1252, then Latin-1, which decodes anything. A single-byte
label on bytes that are valid multi-byte UTF-8 is taken for the mislabelling it
almost always is.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Sequence
from functools import lru_cache

# Labels seen in real mail, mapped to the Python codec that reads them (often a superset).
_ALIASES = {
    "unicode-1-1-utf-7": "utf-7",
    "utf7": "utf-7",
    "iso-gb2312": "gb18030",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cn-gb": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "big5": "big5hkscs",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    # WHATWG: these labels mean Windows-1252, which is what senders actually write.
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "iso-8859-8-i": "iso8859_8",
    "tis-620": "cp874",
    "windows-874": "cp874",
}
# When a multi-byte label is wrong, the sender's program most often wrote a sibling.
_SIBLINGS = {
    "iso2022_jp_ext": ("cp932", "euc_jp"),
    "cp932": ("euc_jp", "iso2022_jp_ext"),
    "euc_jp": ("cp932",),
    "gb18030": ("big5hkscs",),
    "big5hkscs": ("gb18030",),
    "cp949": ("gb18030",),
}
_UNKNOWN = frozenset(
    {"", "none", "unknown", "unknown-8bit", "x-unknown", "default", "x-user-defined"}
)
_LATIN = re.compile(r"^(cp125[0234578]|iso8859-(1|2|3|4|9|10|13|14|15|16)|mac-roman)$")
_SEVEN_BIT = re.compile(r"^(iso2022_|utf-7|hz)")
_STRAY = re.compile("[\udc80-\udcff]+")
_DECODED = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")  # non-ASCII, not an escaped byte
_HIGH_BYTES = bytes(range(0x80, 0x100))
Hint = str | Sequence[str] | None  # charsets the rest of the message declares

_SINGLE_BYTE = re.compile(r"^(cp125\d|cp874|iso8859-\d+|mac-roman|koi8-[ru]|cp866)$")


@lru_cache(maxsize=512)
def codec_for(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when it names no text codec."""
    if not label:
        return None
    name = label.strip().strip("\"'").split(";")[0].split("*")[0].strip().lower()
    if name in _UNKNOWN:
        return None
    name = _ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # codecs.lookup also finds base64, zlib and rot13, which are not charsets.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _multibyte_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _candidates(codec: str | None, hints: Sequence[str], *, dense: bool) -> list[str]:
    """Codecs to try in order: the declared one and its siblings, UTF-8, multi-byte hints
    (they fail on bytes that are not theirs; single-byte ones never do); for unlabelled
    bytes that are mostly 8-bit, a non-Latin single-byte hint (Cyrillic), then GB18030
    (Chinese, of the region's languages); Latin text is never mostly 8-bit."""
    found = [codec, *_SIBLINGS.get(codec or "", ()), "utf-8"]
    hinted = [c for c in (codec_for(h) for h in hints) if c]
    for other in hinted:
        if not _SINGLE_BYTE.match(other):
            found += [other, *_SIBLINGS.get(other, ())]
    if dense and codec is None:
        found += [c for c in hinted if _SINGLE_BYTE.match(c) and not _LATIN.match(c)]
        found.append("gb18030")
    found += [c for c in hinted if _SINGLE_BYTE.match(c)]
    return list(dict.fromkeys(c for c in found if c))


def _mixed_utf8(data: bytes) -> str | None:
    """UTF-8 with stray single bytes (text pasted from elsewhere): those read as cp1252."""
    text = data.decode("utf-8", "surrogateescape")
    if not _DECODED.search(text):
        return None
    return _STRAY.sub(lambda m: raw_bytes(m.group(0)).decode("cp1252", "replace"), text)


def decode_bytes(data: bytes, label: str | None, *, hint: Hint = None) -> tuple[str, str]:
    """The text, and how it was read: "" when as declared, else a short note."""
    codec = codec_for(label)
    if data.isascii() and not (codec and _SEVEN_BIT.match(codec)):
        return data.decode("ascii"), ""
    if codec and _SINGLE_BYTE.match(codec) and _multibyte_utf8(data):
        return data.decode("utf-8"), f"charset {label} is UTF-8 in fact"
    hints = [hint] if isinstance(hint, str) else list(hint or ())
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    dense = high * 2 > len(data) - data.count(b" ")
    said = f"charset {label}" if label else "no charset"
    for candidate in _candidates(codec, hints, dense=dense):
        try:
            text = data.decode(candidate)
        except (UnicodeError, LookupError, ValueError):
            continue
        return text, "" if candidate == codec else f"{said}: read as {candidate}"
    mixed = _mixed_utf8(data)
    if mixed is not None:
        return mixed, f"{said}: read as UTF-8 with stray cp1252 bytes"
    try:
        return data.decode("cp1252"), f"{said}: read as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"{said}: read as latin-1"


def raw_bytes(value: str) -> bytes:
    """The bytes behind a header or payload string that the parser surrogate-escaped."""
    return value.encode("utf-8", "surrogateescape")


def unescape(value: str, *, hint: Hint = None) -> str:
    """A header value with raw 8-bit bytes (undeclared) decoded: UTF-8, the hint, cp1252."""
    if value.isascii():
        return value
    data = raw_bytes(value)
    if data.isascii():
        return value
    return decode_bytes(data, None, hint=hint)[0]


_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        clean = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        clean += "=" * (-len(clean) % 4)
        try:
            return base64.b64decode(clean)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "replace")
    data = payload.replace("_", " ").encode("ascii", "replace")
    return binascii.a2b_qp(data)


def decode_words(value: str, *, hint: Hint = None) -> str:
    """An unstructured header with RFC 2047 encoded words decoded, whatever their charset.

    Adjacent words in the same charset are joined as bytes before decoding, since
    senders split multi-byte characters across words; the whitespace between two
    encoded words is dropped (RFC 2047 6.2), the rest is kept as written.
    """
    value = unescape(value, hint=hint)
    if "=?" not in value:
        return value
    out: list[str] = []
    pos = 0
    run: list[bytes] = []
    run_charset = ""

    def flush() -> None:
        nonlocal run, run_charset
        if run:
            out.append(decode_bytes(b"".join(run), run_charset, hint=hint)[0])
        run, run_charset = [], ""

    for match in _WORD.finditer(value):
        gap = value[pos : match.start()]
        if gap and not (run and _BETWEEN_WORDS.fullmatch(gap)):
            flush()
            out.append(gap)
        charset = match.group(1).split("*")[0]
        if run and charset.lower() != run_charset.lower():
            flush()
        run_charset = charset
        run.append(_word_bytes(match.group(2), match.group(3)))
        pos = match.end()
    flush()
    out.append(value[pos:])
    return "".join(out)
