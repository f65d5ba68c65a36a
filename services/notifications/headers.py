"""Header values made safe from user input, encoded and folded by us, and our Message-IDs.

Python 3.11's own folder drops the space between two encoded words when it folds
a long header ("Anerkennung ausländischer Abschlüsse" comes back as
"ausländischerAbschlüsse"), so subjects and display names are encoded here
(RFC 2047, base64, whole code points per word, at most 78 characters a line)
and stored with `set_raw`, which the SMTP policy then writes out unchanged.
"""

import base64
import re
import unicodedata
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage

# Longest display name or subject we put into a header; the rest is cut with an ellipsis.
MAX_HEADER_TEXT = 150
LINE_MAX = 78  # RFC 5322 2.1.1: lines SHOULD be no longer than 78 characters
_WORD_START, _WORD_END = "=?utf-8?b?", "?="
_WORD_MAX = 75  # RFC 2047 2: an encoded word is at most 75 characters
# Plain words longer than this are encoded too, so that every line can be folded.
_PLAIN_MAX = 60
# RFC 5322 atext: a display name made only of these (and spaces) needs no quoting.
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")

# A msg-id as found in an enquirer's In-Reply-To: angle brackets, no spaces inside.
_MSG_ID = re.compile(r"<[^<>\s]{1,250}>")
# What may stand in one dot-separated field of a Message-ID we make.
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_DOMAIN_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")


def _is_unsafe(char: str) -> bool:
    # Cc: C0/C1 controls incl. CR, LF, TAB, NUL; Zl/Zp: U+2028/U+2029, which some
    # clients break lines at; Cs: lone surrogates, which cannot be encoded at all.
    # Cf (bidi marks, ZWNJ) stays: names in Arabic script and Persian text need it.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs")


def header_text(value: str | None, *, limit: int = MAX_HEADER_TEXT) -> str:
    """One line of text, safe in any header: control characters become spaces."""
    if not value:
        return ""
    cleaned = "".join(" " if _is_unsafe(c) else c for c in value)
    single = " ".join(cleaned.split())
    if len(single) > limit:
        return single[: limit - 1].rstrip() + "…"
    return single


def body_text(value: str | None) -> str:
    """Text for a mail body: line breaks kept, every other control character a space."""
    if not value:
        return ""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = ("".join(" " if c != "\t" and _is_unsafe(c) else c for c in line) for line in lines)
    return "\n".join(line.rstrip() for line in kept).strip("\n")


def mailbox(name: str | None, address: str) -> Address:
    """A display name and address; raises ValueError for an address that is not one."""
    if any(_is_unsafe(c) or c.isspace() for c in address):
        raise ValueError("an e-mail address may not contain spaces or control characters")
    try:
        return Address(display_name=header_text(name), addr_spec=address)
    except (HeaderParseError, IndexError, ValueError) as error:
        raise ValueError(f"not a usable e-mail address: {error}") from error


def domain_of(address: str) -> str:
    """The part after the last '@', for our Message-IDs."""
    _, at, domain = address.rpartition("@")
    if not at or not domain:
        raise ValueError("the sender address has no domain")
    return domain


def message_id(reference: str, kind: str, unique: str, domain: str) -> str:
    """'<WC-2026-000123.confirmation.<unique>@domain>': ours, and it names the reference."""
    fields = [_ID_UNSAFE.sub("", part) for part in (reference, kind, unique)]
    host = _DOMAIN_UNSAFE.sub("", domain).strip(".")
    if not all(fields) or not host:
        raise ValueError("reference, kind, unique and domain must not be empty")
    return f"<{'.'.join(fields)}@{host}>"


def thread_id(value: str | None) -> str | None:
    """The enquirer's Message-ID for In-Reply-To, or None when it is not a plain msg-id."""
    text = header_text(value, limit=1000)
    return text if _MSG_ID.fullmatch(text) else None


def set_text(msg: EmailMessage, name: str, text: str) -> None:
    """An unstructured header (Subject) from cleaned text, encoded where it is not ASCII."""
    words = header_text(text, limit=2 * MAX_HEADER_TEXT).split(" ")
    tokens: list[tuple[str, bool]] = []
    for word in words:
        encode = not word.isascii() or len(word) > _PLAIN_MAX or "=?" in word
        if encode and tokens and tokens[-1][1]:
            # Adjacent encoded words: the space between them goes inside, or it is lost.
            tokens[-1] = (f"{tokens[-1][0]} {word}", True)
        else:
            tokens.append((word, encode))
    msg.set_raw(name, _fold(name, tokens))


def set_address(msg: EmailMessage, name: str, mailbox: Address) -> None:
    """An address header: the display name plain, quoted or encoded, then <addr-spec>."""
    display, spec = mailbox.display_name, f"<{mailbox.addr_spec}>"
    tokens: list[tuple[str, bool]] = []
    if display:
        plain = (
            display.isascii()
            and "=?" not in display
            and len(name) + len(display) + len(spec) + 5 <= LINE_MAX
        )
        if plain and all(_ATEXT.fullmatch(word) for word in display.split(" ")):
            tokens.append((display, False))
        elif plain:
            quoted = display.replace("\\", "\\\\").replace('"', '\\"')
            tokens.append((f'"{quoted}"', False))
        else:
            tokens.append((display, True))
    tokens.append((spec, False))
    msg.set_raw(name, _fold(name, tokens))


def _fold(name: str, tokens: list[tuple[str, bool]]) -> str:
    """Tokens joined by spaces, folded before a token (or between encoded words)."""
    lines: list[str] = []
    line = first = f"{name}:"
    for text, encode in tokens:
        if not encode:
            if len(line) + 1 + len(text) > LINE_MAX and line not in ("", first):
                lines.append(line)
                line = ""
            line += " " + text
            continue
        rest = text
        while rest:
            room = min(LINE_MAX - len(line) - 1, _WORD_MAX) - len(_WORD_START + _WORD_END)
            chunk = _take(rest, max_bytes=room // 4 * 3)
            cut_in_word = chunk != rest and not chunk.endswith(" ")
            if not chunk or (cut_in_word and line not in ("", first)):
                # A fresh line holds more: cut inside a word only when even that is too short.
                lines.append(line)
                line = ""
                continue
            encoded = base64.b64encode(chunk.encode("utf-8")).decode("ascii")
            line += f" {_WORD_START}{encoded}{_WORD_END}"
            rest = rest[len(chunk) :]
    lines.append(line)
    return "\r\n".join(lines)[len(name) + 2 :]


def _take(text: str, *, max_bytes: int) -> str:
    """The longest prefix of whole code points in max_bytes of UTF-8, cut after a space if any.

    Cutting after a space keeps words whole for parsers that, against RFC 2047 6.2,
    keep the whitespace between two encoded words (Python's own address parser does).
    """
    size = 0
    for index, char in enumerate(text):
        size += len(char.encode("utf-8"))
        if size > max_bytes:
            space = text.rfind(" ", 0, index)
            return text[: space + 1] if space > 0 else text[:index]
    return text
