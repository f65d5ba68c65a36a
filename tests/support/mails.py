"""Raw mails as they reach the intake: enquiries, replies, auto-replies and bounces."""

from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

OUR_ADDRESS = "welcome@example.org"  # WELCOMEDESK_MAIL_FROM in the tests
OUR_DOMAIN = "example.org"
INTAKE = "intake@example.org"

RECOGNITION = (
    "Hello, I am a nurse from Colombia and I live in Braunschweig (38100). "
    "How do I get my nursing diploma recognised in Germany (Anerkennung)?"
)


def _message(sender: str, subject: str, text: str, *, to: str = INTAKE) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain="mail.example.net")
    msg.set_content(text)
    return msg


def enquiry(
    sender: str,
    *,
    subject: str = "Recognition of my diploma",
    text: str = RECOGNITION,
    name: str = "Ana Gómez",
    attachment: bytes | None = None,
) -> bytes:
    msg = _message(f"{name} <{sender}>", subject, text)
    if attachment is not None:
        msg.add_attachment(
            attachment, maintype="application", subtype="pdf", filename="diploma.pdf"
        )
    return msg.as_bytes()


def our_message_id(reference: str, kind: str = "confirmation", unique: str | None = None) -> str:
    return f"<{reference}.{kind}.{unique or uuid.uuid4().hex[:16]}@{OUR_DOMAIN}>"


def follow_up(
    sender: str,
    reference: str,
    *,
    text: str = "I forgot: I also need a German course.",
    in_reply_to: str | None = None,
) -> bytes:
    msg = _message(sender, f"Re: [{reference}] We have received your enquiry", text)
    parent = in_reply_to or our_message_id(reference)
    msg["In-Reply-To"] = parent
    msg["References"] = parent
    return msg.as_bytes()


def foreign_reply(sender: str) -> bytes:
    """A reply that quotes somebody else's mail: a new enquiry, not a follow-up of ours."""
    msg = _message(
        sender,
        "Re: your job offer",
        "Thanks. Where can I learn German in Wolfsburg?\n\n"
        "> On Monday, HR <hr@company.example> wrote:\n> We offer you the job.",
    )
    msg["In-Reply-To"] = "<offer-1@company.example>"
    return msg.as_bytes()


def auto_reply(sender: str, reference: str) -> bytes:
    msg = _message(
        sender,
        f"Automatic reply: [{reference}] We have received your enquiry",
        "I am out of the office until Monday.",
    )
    msg["Auto-Submitted"] = "auto-replied"
    msg["In-Reply-To"] = our_message_id(reference)
    return msg.as_bytes()


def bounce(recipient: str, original_message_id: str, *, status: str = "5.1.1") -> bytes:
    """A DSN (RFC 3464) from a mail server: our mail to `recipient` could not be delivered."""
    action = "failed" if status.startswith("5") else "delayed"
    lines = [
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
        f"To: {OUR_ADDRESS}",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {format_datetime(dt.datetime.now(dt.UTC))}",
        f"Message-ID: {make_msgid(domain='mx.example.net')}",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-1"',
        "",
        "--dsn-1",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "Your message could not be delivered to one or more recipients.",
        f"<{recipient}>: host said: 550 {status} user unknown",
        "",
        "--dsn-1",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.net",
        "",
        f"Final-Recipient: rfc822; {recipient}",
        f"Action: {action}",
        f"Status: {status}",
        f"Diagnostic-Code: smtp; 550 {status} user unknown",
        "",
        "--dsn-1",
        "Content-Type: text/rfc822-headers",
        "",
        f"From: {OUR_ADDRESS}",
        f"To: {recipient}",
        f"Message-ID: {original_message_id}",
        "Subject: We have received your enquiry",
        "",
        "--dsn-1--",
        "",
    ]
    return "\r\n".join(lines).encode()
