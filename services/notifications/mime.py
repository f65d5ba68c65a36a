"""Bodies and plain headers written straight into a message, without the email package's
header registry and content manager: a mail costs a fraction of the CPU that way.

Every value written here is ours (ASCII, short, no user input) or a body we encode;
headers that carry user input go through `headers.set_text` / `headers.set_address`.
"""

import base64
import binascii
import secrets
from email.message import EmailMessage, MIMEPart

LINE_MAX = 78


def set_plain(msg: EmailMessage, name: str, value: str) -> None:
    """A header whose value we made: ASCII, one line, no control characters."""
    if not value.isascii() or any(c in value for c in "\r\n\0"):
        raise ValueError(f"{name} must be one line of ASCII")
    msg.set_raw(name, value)


def _encoded_body(text: str) -> tuple[str, str]:
    """The transfer encoding and encoded body of UTF-8 text, CRLF line ends.

    7bit when the text is ASCII with short lines; otherwise the shorter of
    quoted-printable and base64, as the email package's own heuristic chooses."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if text.isascii() and all(len(line) <= LINE_MAX for line in lines):
        return "7bit", "\r\n".join(lines) + "\r\n"
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    quoted = binascii.b2a_qp(data, istext=True, header=False).decode("ascii")
    quoted = quoted.replace("\r\n", "\n").replace("\n", "\r\n")
    encoded = base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
    if len(quoted) <= len(encoded):
        return "quoted-printable", quoted
    return "base64", encoded


def text_part(text: str, subtype: str) -> MIMEPart:
    part = MIMEPart(policy=EmailMessage().policy)
    cte, body = _encoded_body(text)
    part.set_raw("Content-Type", f'text/{subtype}; charset="utf-8"')
    part.set_raw("Content-Transfer-Encoding", cte)
    part.set_payload(body)
    return part


def set_alternatives(msg: EmailMessage, plain: str, html: str) -> None:
    """Makes `msg` a multipart/alternative of a text and an HTML part (in that order:
    RFC 2046 5.1.4, the richest last)."""
    boundary = f"=_wd{secrets.token_hex(12)}"
    set_plain(msg, "MIME-Version", "1.0")
    set_plain(msg, "Content-Type", f'multipart/alternative; boundary="{boundary}"')
    msg.set_payload([text_part(plain, "plain"), text_part(html, "html")])


def _header_lines(msg: EmailMessage | MIMEPart) -> list[str] | None:
    lines: list[str] = []
    for name, value in msg.raw_items():
        text = f"{name}: {value}"
        folded = text.replace("\r\n", "\n").split("\n")
        if any(len(line) > LINE_MAX or not line.isascii() for line in folded):
            return None  # the email package refolds such a header: leave it to it
        lines += folded
    return lines


def to_bytes(msg: EmailMessage) -> bytes:
    """The message as sent, CRLF line ends. A message made by `set_alternatives` is
    written straight from its raw headers and encoded parts; any other goes through
    the email package's generator, which gives the same bytes at a higher cost."""
    parts = msg.get_payload() if msg.is_multipart() else None
    boundary = _boundary(msg)
    head = _header_lines(msg)
    if not isinstance(parts, list) or boundary is None or head is None:
        return msg.as_bytes()
    out = [*head, ""]
    for part in parts:
        if not isinstance(part, MIMEPart):
            return msg.as_bytes()
        part_head, payload = _header_lines(part), part.get_payload()
        if part_head is None or not isinstance(payload, str) or not payload.isascii():
            return msg.as_bytes()
        out += [f"--{boundary}", *part_head, "", payload]
    out += [f"--{boundary}--", ""]
    return "\r\n".join(out).encode("ascii")


def _boundary(msg: EmailMessage) -> str | None:
    for name, value in msg.raw_items():
        if name.lower() == "content-type":
            head, _, rest = str(value).partition('boundary="')
            found = rest.partition('"')[0]
            return found if head.startswith("multipart/") and found else None
    return None
