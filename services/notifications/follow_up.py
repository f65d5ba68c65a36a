"""The notice that an enquirer wrote again about their case: staff mail, German then English.

Built like the other staff mails in `compose`, from its building blocks: the case
as it stands, and above it the new message, so that the manager needs nothing else.
"""

from dataclasses import dataclass
from email.message import EmailMessage

from services.notifications import labels
from services.notifications.compose import (
    CaseView,
    Sender,
    answerable_staff_message,
    case_context,
    primary_topic,
    with_parts,
)
from services.notifications.headers import body_text, header_text, mailbox


@dataclass(frozen=True)
class FollowUpView:
    subject: str | None
    text: str  # what the enquirer wrote now, quotes set aside


def follow_up_notice(
    case: CaseView,
    sender: Sender,
    *,
    to_name: str,
    to_address: str,
    unique: str,
    message: FollowUpView,
) -> EmailMessage:
    """Tells the case's manager (or the site's team) the new message; a reply goes to the
    enquirer, as with the case mail."""
    summary = header_text(message.subject or case.subject) or labels.topic_label(
        primary_topic(case)
    )
    msg = answerable_staff_message(
        case,
        sender,
        kind="follow_up",
        subject=f"[{case.reference}] Neue Nachricht / New message: {summary}",
        to=mailbox(to_name, to_address),
        unique=unique,
    )
    context = {
        **case_context(case, sender),
        "to_name": header_text(to_name),
        "follow_up_subject": header_text(message.subject, limit=500),
        "follow_up": body_text(message.text),
    }
    return with_parts(msg, "de", "follow_up_notice", context, "de, en")
