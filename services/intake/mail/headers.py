"""Reading header values as written: addresses, message ids, dates; never raising."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import getaddresses, parsedate_to_datetime

from services.intake.mail.charsets import Hint, decode_words, unescape
from services.intake.mail.model import Mailbox

_MSG_ID = re.compile(r"<([^<>\s]{1,500})>")
_BARE_ID = re.compile(r"[^<>\s@]{1,300}@[^<>\s@]{1,200}")
_MAILTO = re.compile(r"\[mailto:([^\]\s]+)\]|<mailto:([^>\s]+)>", re.IGNORECASE)
_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+\.[^\s<>()\[\]\"',;:@]+")
_DATE_PREFIX = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{4}|[A-Z]{1,5}))?"
)
_FOLD = re.compile(r"\r?\n[ \t]*")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(value: str) -> str:
    """A folded header unfolded, control characters made spaces, runs of spaces one."""
    return " ".join(_UNPRINTABLE.sub(" ", _FOLD.sub(" ", value)).split())


def text_header(value: str, *, hint: Hint = None) -> str:
    """An unstructured header (Subject) as text."""
    return one_line(decode_words(_FOLD.sub(" ", value), hint=hint))


def message_ids(value: str | None) -> tuple[str, ...]:
    """Every msg-id in a header, "<...>"; a bare id without brackets is accepted too."""
    if not value:
        return ()
    value = unescape(value)
    found = _MSG_ID.findall(value)
    if not found:
        found = _BARE_ID.findall(value)
    return tuple(dict.fromkeys(f"<{token}>" for token in found))


def mailboxes(value: str | None, *, hint: Hint = None) -> tuple[Mailbox, ...]:
    """The mailboxes of an address header; names decoded, group syntax and junk tolerated."""
    if not value:
        return ()
    raw = _FOLD.sub(" ", value)
    found: list[Mailbox] = []
    try:
        pairs = getaddresses([raw])
    except (ValueError, IndexError, TypeError):
        pairs = []
    for name, address in pairs:
        address = unescape(address, hint=hint).strip().strip("<>")
        if "@" not in address:
            continue
        found.append(Mailbox(address=address, name=_display_name(name, hint)))
    if not found:
        text = decode_words(raw, hint=hint)
        found = [Mailbox(address=a) for a in _ADDRESS.findall(text)]
    return tuple(dict.fromkeys(found))


def _display_name(name: str, hint: Hint) -> str:
    decoded = one_line(decode_words(name, hint=hint)).strip("\"' ")
    return decoded.replace('\\"', '"')


def mailbox_in_text(value: str) -> Mailbox | None:
    """A sender from a line of text such as "From: Name <a@b>" or "Name [mailto:a@b]"."""
    value = value.strip()
    mailto = _MAILTO.search(value)
    if mailto:
        address = mailto.group(1) or mailto.group(2)
        name = one_line(value[: mailto.start()]).strip("\"' ")
        return Mailbox(address=address, name=name)
    found = mailboxes(value)
    if found:
        return found[0]
    loose = _ADDRESS.search(value)
    if loose:
        name = one_line(value[: loose.start()]).strip("\"'<( ")
        return Mailbox(address=loose.group(0), name=name)
    return None


def parse_date(value: str | None) -> dt.datetime | None:
    """The Date header as an aware datetime (UTC when no zone is given), or None."""
    if not value:
        return None
    # The well-formed start first: a header glued onto the end must not shift the zone.
    whole = one_line(value)
    prefix = _DATE_PREFIX.search(whole)
    candidates = [prefix.group(0), whole] if prefix else [whole]
    for candidate in candidates:
        try:
            when = parsedate_to_datetime(candidate)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if when is None:
            continue
        return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return None
