"""The building blocks every mail shares: its headers, and its text and HTML parts."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Final

from markupsafe import Markup

from services.notifications import i18n
from services.notifications.headers import domain_of, mailbox, message_id, set_address, set_text
from services.notifications.mime import set_alternatives, set_plain
from services.notifications.views import CaseView, Sender

# Stop out-of-office replies to our sender address, but keep bounces for staff mail.
STAFF_SUPPRESS: Final = "OOF, AutoReply"


def base_message(sender: Sender, *, subject: str, to: Address, msg_id: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    set_address(msg, "From", mailbox(sender.name, sender.address))
    set_address(msg, "To", to)
    set_text(msg, "Subject", subject)
    set_plain(msg, "Message-ID", msg_id)
    return msg


def enquirer_message(
    case: CaseView, sender: Sender, *, kind: str, title: str, unique: str, auto_submitted: str
) -> EmailMessage:
    """A mail to the enquirer about their case, "[reference] title", wanting no auto-reply."""
    if not case.enquirer_email:
        raise ValueError(f"a mail of kind {kind} needs the enquirer's e-mail address")
    msg = base_message(
        sender,
        subject=f"[{case.reference}] {title}",
        to=mailbox(case.enquirer_name, case.enquirer_email),
        msg_id=message_id(case.reference, kind, unique, domain_of(sender.address)),
    )
    set_plain(msg, "Auto-Submitted", auto_submitted)
    set_plain(msg, "X-Auto-Response-Suppress", "All")
    return msg


def staff_message(
    case: CaseView, sender: Sender, *, kind: str, subject: str, to: Address, unique: str
) -> EmailMessage:
    msg = base_message(
        sender,
        subject=subject,
        to=to,
        msg_id=message_id(case.reference, kind, unique, domain_of(sender.address)),
    )
    set_plain(msg, "Auto-Submitted", "auto-generated")
    set_plain(msg, "X-Auto-Response-Suppress", STAFF_SUPPRESS)
    return msg


def answerable_staff_message(
    case: CaseView, sender: Sender, *, kind: str, subject: str, to: Address, unique: str
) -> EmailMessage:
    """A staff mail about the case whose reply goes to the enquirer."""
    msg = staff_message(case, sender, kind=kind, subject=subject, to=to, unique=unique)
    if case.enquirer_email:
        set_address(msg, "Reply-To", mailbox(case.enquirer_name, case.enquirer_email))
    return msg


def with_parts(
    msg: EmailMessage,
    language: str,
    template: str,
    context: dict[str, object],
    content_language: str,
) -> EmailMessage:
    set_plain(msg, "Content-Language", content_language)
    set_alternatives(
        msg,
        i18n.render(language, f"{template}.txt.j2", **context),
        i18n.render(language, f"{template}.html.j2", **context),
    )
    return msg


# Between the sections of a mail in two languages, in its text part.
SECTION_RULE: Final = "\n" + "-" * 70 + "\n\n"


def with_sections(
    msg: EmailMessage,
    sections: list[tuple[str, dict[str, object]]],
    template: str,
    *,
    title: str,
    sender_name: str,
) -> EmailMessage:
    """A mail in one language or in several, one after the other: each section is the
    template `_{template}` in its language, under one layout and one signature."""
    texts: list[str] = []
    parts: list[tuple[str, str, Markup]] = []
    for language, context in sections:
        texts.append(i18n.render(language, f"_{template}.txt.j2", **context))
        # A section is a template's output, escaped where it was rendered.
        html = Markup(i18n.render(language, f"_{template}.html.j2", **context))
        parts.append((language, i18n.text_direction(language), html))
    first = sections[0][0]
    page = i18n.render(
        first,
        "sections.html.j2",
        lang=first,
        direction=i18n.text_direction(first),
        title=title,
        sender_name=sender_name,
        sections=parts,
    )
    set_plain(msg, "Content-Language", ", ".join(language for language, _ in sections))
    set_alternatives(msg, SECTION_RULE.join(texts) + f"{sender_name}\n", page)
    return msg
