"""A mail's text split into what the writer wrote now and what is set aside.

Set aside for understanding the enquiry (the whole text is kept elsewhere):
quoted replies ("> " lines and the "On ... wrote:" line above them, or
everything below an Outlook header block or "-----Original Message-----"), the
signature after "-- ", mobile taglines, and legal footers. A forwarded mail
("---------- Forwarded message ---------", "Begin forwarded message:", or a
header block under a "Fwd:" subject) is the enquiry: its sender and its text.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.intake.mail import markers
from services.intake.mail.headers import mailbox_in_text
from services.intake.mail.model import Mailbox

_MAX_DEPTH = 4
_BLOCK_LOOKAHEAD = 6


@dataclass(frozen=True)
class Forwarded:
    sender: Mailbox | None
    subject: str
    text: str  # the forwarded mail's own words: its quotes and signature set aside


@dataclass(frozen=True)
class Split:
    text: str  # what the writer wrote now
    quoted: str = ""
    signature: str = ""
    footer: str = ""
    forwarded: Forwarded | None = None

    @property
    def enquiry_text(self) -> str:
        """What the enquiry says: the forwarded person's words when a mail was forwarded."""
        if self.forwarded and self.forwarded.text.strip():
            return self.forwarded.text
        return self.text


def split_text(body: str, *, subject: str = "") -> Split:
    return _split(body.replace("\r\n", "\n").split("\n"), subject, 0)


def _split(lines: list[str], subject: str, depth: int) -> Split:
    reply = _reply_start(lines)
    forward = _forward_start(lines, subject, reply)
    if forward is not None and depth < _MAX_DEPTH:
        marker, block = forward
        sender, fwd_subject, body_at = _header_block(lines, block)
        inner = _split(lines[body_at:], fwd_subject, depth + 1)
        forwarded = inner.forwarded or Forwarded(sender, fwd_subject, inner.text)
        note = _own_text(lines[:marker], _reply_start(lines[:marker]))
        return Split(note.text, inner.quoted, note.signature, note.footer, forwarded)
    return _own_text(lines, reply)


def _join(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _next_text(lines: list[str], index: int) -> str:
    for at in range(index, len(lines)):
        if lines[at].strip():
            return lines[at]
    return ""


def _is_outlook_block(lines: list[str], index: int) -> bool:
    """ "From: ..." followed by at least two of Sent/To/Subject within a few lines."""
    found = markers.FIELD_FROM.match(lines[index])
    if not found:
        return False
    following = lines[index + 1 : index + 1 + _BLOCK_LOOKAHEAD]
    fields = sum(1 for line in following if markers.FIELD_OTHER.match(line))
    return fields >= 2 or (fields == 1 and "@" in found.group(1))


def _is_reply_header(text: str, quoted_below: bool) -> bool:
    if len(text) > 300 or not text.endswith((":", "：")):
        return False  # the cheap test first: a reply header ends with a colon
    verb = text[:-1].rstrip().lower().endswith(markers.WROTE)
    if verb and any(c.isdigit() or c == "@" for c in text):
        return True
    return quoted_below and bool(markers.HEADERISH.search(text))


def _reply_header(lines: list[str], index: int) -> int:
    """How many lines (1, or 2 when wrapped) form an "On ... wrote:" line at index; or 0."""
    for size in (1, 2):
        if index + size > len(lines):
            return 0
        text = " ".join(line.strip() for line in lines[index : index + size])
        quoted_below = _next_text(lines, index + size).startswith(">")
        if _is_reply_header(text, quoted_below) and (size == 1 or _wrapped(lines[index])):
            return size
    return 0


def _wrapped(line: str) -> bool:
    """A reply header's first half as mail programs wrap it: the date, no sentence end."""
    text = line.strip()
    return any(c.isdigit() for c in text) and not text.endswith((".", "!", "?"))


def _reply_start(lines: list[str]) -> int | None:
    """The first line of a quoted history that runs to the end (not "> " lines)."""
    for index, line in enumerate(lines):
        if not line.strip() or line.startswith(">"):
            continue
        if markers.ORIGINAL.match(line) or _is_outlook_block(lines, index):
            return index
        if markers.OUTLOOK_RULE.match(line) and markers.FIELD_FROM.match(
            _next_text(lines, index + 1)
        ):
            return index
        size = _reply_header(lines, index)
        if size and not _next_text(lines, index + size).startswith(">"):
            return index
    return None


def _forward_start(lines: list[str], subject: str, reply: int | None) -> tuple[int, int] | None:
    """(marker line, first line of its header block) of a forward above any reply."""
    end = len(lines) if reply is None else reply + 1
    for index in range(min(end, len(lines))):
        if markers.FORWARD.match(lines[index]):
            return index, index + 1
    nothing_above = reply is not None and not any(line.strip() for line in lines[:reply])
    if reply is not None and (markers.FORWARD_SUBJECT.match(subject) or nothing_above):
        # Outlook forwards like it replies: the subject tells which it is, or the
        # absence of any words above the quoted mail (a reply would say something).
        block = reply + 1 if markers.ORIGINAL.match(lines[reply]) else reply
        if markers.OUTLOOK_RULE.match(lines[reply]):
            block = reply + 1
        return reply, block
    return None


def _header_block(lines: list[str], start: int) -> tuple[Mailbox | None, str, int]:
    """The sender and subject of a forwarded header block, and where its body starts."""
    sender: Mailbox | None = None
    subject = ""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    seen = 0
    while index < len(lines) and seen < 12:
        line = lines[index]
        if not line.strip():
            break
        found_from = markers.FIELD_FROM.match(line)
        found_subject = markers.FIELD_SUBJECT.match(line)
        if found_from and sender is None:
            sender = mailbox_in_text(found_from.group(1))
        elif found_subject:
            subject = found_subject.group(1).strip()
        elif not markers.FIELD_OTHER.match(line) and not line[:1].isspace():
            break
        seen += 1
        index += 1
    return sender, subject, index


def _own_text(lines: list[str], reply: int | None) -> Split:
    kept: list[str] = []
    quoted: list[str] = []
    end = len(lines) if reply is None else reply
    index = 0
    while index < end:
        line = lines[index]
        size = 0 if line.startswith(">") else _reply_header(lines, index)
        if line.startswith(">") or size:
            quoted.extend(lines[index : index + max(size, 1)])
            index += max(size, 1)
            continue
        kept.append(line)
        index += 1
    quoted.extend(lines[end:])
    kept, signature = _cut_signature(kept)
    kept, footer = _cut_footer(kept)
    return Split(_join(kept).strip(), _join(quoted), _join(signature), _join(footer))


def _cut_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    for index, line in enumerate(lines):
        if markers.SIGNATURE.match(line.rstrip()):
            return lines[:index], lines[index + 1 :]
    written = [i for i, line in enumerate(lines) if line.strip()]
    for index in written[-3:]:
        if markers.MOBILE.match(lines[index]) and index != written[0]:
            return lines[:index], lines[index:]
    return lines, []


def _cut_footer(lines: list[str]) -> tuple[list[str], list[str]]:
    seen_text = False
    for index, line in enumerate(lines):
        if seen_text and markers.FOOTER.match(line):
            return lines[:index], lines[index:]
        seen_text = seen_text or bool(line.strip())
    return lines, []
