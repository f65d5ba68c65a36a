"""Raw bytes set right before parsing: what precedes the headers, headers that lost
their folding. Each repair returns a note saying what it did, or ""."""

from __future__ import annotations

import re

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_KNOWN_HEADER = re.compile(
    rb"^(?:X-[\w-]+|Received|Return-Path|Delivered-To|To|From|Cc|Subject|Date|Message-Id"
    rb"|MIME-Version|Content-[\w-]+|Reply-To|References|In-Reply-To|Sender|[\w-]*Signature"
    rb"|Authentication-Results|List-[\w-]+|Precedence|Thread-[\w-]+|User-Agent):",
    re.IGNORECASE,
)
_REPAIR_REACH = 40
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def strip_preamble(raw: bytes) -> tuple[bytes, str]:
    """Drops an mbox "From " line, or one line of text before the headers, or blank lines."""
    stripped = raw.lstrip(b"\r\n")
    note = "blank lines before the headers dropped" if len(stripped) != len(raw) else ""
    first, _, rest = stripped.partition(b"\n")
    if first.startswith(b"From ") and not _HEADER_LINE.match(first):
        return rest, "mbox 'From ' line dropped"
    if first.strip() and not _HEADER_LINE.match(first) and _HEADER_LINE.match(rest[:200]):
        return rest, "a line of text before the headers dropped"
    return stripped, note


def repair_headers(raw: bytes) -> tuple[bytes, str]:
    """Indents header lines that lost their folding whitespace (a line of a Received
    header on its own, a long value wrapped by a broken program) when well-known
    headers follow; else the parser would take them for the body and lose From."""
    end = _BLANK_LINE.search(raw)
    if end is None:
        return raw, ""
    lines = raw[: end.start()].split(b"\n")
    next_known = len(lines) * 2 + _REPAIR_REACH  # where the next well-known header is
    repaired = 0
    for index in range(len(lines) - 1, 0, -1):
        line = lines[index]
        if _KNOWN_HEADER.match(line):
            next_known = index
        elif (
            next_known - index <= _REPAIR_REACH
            and line.strip()
            and line[:1] not in b" \t"
            and not _HEADER_LINE.match(line)
        ):
            lines[index] = b" " + line
            repaired += 1
    if not repaired:
        return raw, ""
    return b"\n".join(lines) + raw[end.start() :], f"{repaired} unindented header line(s) joined"
