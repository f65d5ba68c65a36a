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
