"""The product's outgoing mails, built from plain values: no I/O, no clock, no settings.

Every mail has a text and an HTML part, a subject that starts with "[WC-…]" so a
reply finds its case, a Message-ID of ours that names the reference, and header
values cleaned of control characters. The caller adds Date when it sends.
"""

from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from typing import Final

from services.notifications import i18n, labels, vocabulary
from services.notifications.headers import (
    body_text,
    domain_of,
    header_text,
    mailbox,
    message_id,
    set_address,
    set_text,
    thread_id,
)
from services.notifications.mime import set_alternatives, set_plain
from shared.reasons import STAFF_LANGUAGES, Names, parse_all, render_all
from shared.vocabulary import TOPIC_LABELS_DE

__all__ = [
    "CaseView",
    "Sender",
    "answerable_staff_message",
    "case_context",
    "confirmation",
    "manager_notice",
    "message_id",
    "primary_topic",
    "referral",
    "staff_message",
    "triage_notice",
    "with_parts",
]

# How long an enquirer usually waits for a manager's answer, as the confirmation promises.
DEFAULT_WORKING_DAYS: Final = 2
# How much of the message a partner sees in a referral.
REFERRAL_EXCERPT: Final = 300
# Stop out-of-office replies to our sender address, but keep bounces for staff mail.
STAFF_SUPPRESS: Final = "OOF, AutoReply"


@dataclass(frozen=True)
class Sender:
    address: str  # e.g. "welcome@example.org" (WELCOMEDESK_MAIL_FROM)
    name: str  # e.g. "Welcome Center Region Braunschweig-Wolfsburg"


@dataclass(frozen=True)
class CaseView:
    reference: str  # "WC-2026-000123"
    language: str  # the enquirer's language, ISO 639-1
    enquirer_name: str | None
    enquirer_email: str | None
    enquirer_phone: str | None
    requester_type: str  # "worker" | "employer"
    company: str | None
    topics: tuple[str, ...]  # topic codes, primary first
    district: str | None
    site_name: str | None  # the case's site (the enquirer's place): "Welcome Center Braunschweig"
    subject: str | None
    message: str  # the enquiry text as written
    status_url: str  # the enquirer's status page; the mail adds its own language
    case_url: str  # the case in the managers' workspace
    reasons: tuple[str, ...]  # routing reasons as stored: English, ids for managers and partners
    needs_interpreter: bool
    manager_name: str | None
    in_reply_to: str | None = None  # Message-ID of the enquirer's own e-mail, for threading
    manager_site_name: str | None = None  # the site of the manager who advises the enquirer
    names: Names = field(default_factory=Names)  # names for the ids in `reasons`


def confirmation(
    case: CaseView,
    sender: Sender,
    *,
    unique: str,
    working_days: int = DEFAULT_WORKING_DAYS,
) -> EmailMessage:
    """The enquirer's confirmation, in their language (else English with a German line)."""
    if not case.enquirer_email:
        raise ValueError("a confirmation needs the enquirer's e-mail address")
    language, fallback = i18n.confirmation_language(case.language)
    words = i18n.translations(language)
    title = i18n.render(language, "confirmation_subject.txt.j2").strip()
    context = {
        "title": title,
        "lang": language,
        "direction": i18n.text_direction(language),
        "fallback": fallback,
        "name": header_text(case.enquirer_name),
        "reference": case.reference,
        "subject": header_text(case.subject),
        "site": vocabulary.name(words, advising_site(case)),
        "home_site": vocabulary.name(words, case.site_name),
        "elsewhere": elsewhere(case),
        "status_url": f"{case.status_url}?lang={language}",
        "days": working_days,
        "sender_name": vocabulary.name(words, sender.name),
    }
    msg = _message(
        sender,
        subject=f"[{case.reference}] {title}",
        to=mailbox(case.enquirer_name, case.enquirer_email),
        msg_id=message_id(case.reference, "confirmation", unique, domain_of(sender.address)),
    )
    set_plain(msg, "Auto-Submitted", "auto-replied")
    set_plain(msg, "X-Auto-Response-Suppress", "All")
    parent = thread_id(case.in_reply_to)
    if parent:
        set_plain(msg, "In-Reply-To", parent)
        set_plain(msg, "References", parent)
    return with_parts(msg, language, "confirmation", context, "en, de" if fallback else language)


def manager_notice(
    case: CaseView, sender: Sender, *, to_name: str, to_address: str, unique: str
) -> EmailMessage:
    """The case for the manager it was assigned to; a reply goes to the enquirer."""
    summary = header_text(case.subject) or labels.topic_label(primary_topic(case))
    msg = answerable_staff_message(
        case,
        sender,
        kind="manager",
        subject=f"[{case.reference}] Neue Anfrage / New enquiry: {summary}",
        to=mailbox(to_name, to_address),
        unique=unique,
    )
    context = {**case_context(case, sender), "to_name": header_text(to_name)}
    return with_parts(msg, "de", "manager_notice", context, "de, en")


def triage_notice(
    case: CaseView, sender: Sender, *, team_address: str, unique: str
) -> EmailMessage:
    """Tells a site's team that no manager was eligible and the case waits for triage."""
    summary = header_text(case.subject) or labels.topic_label(primary_topic(case))
    team = f"Team {case.site_name}" if case.site_name else "Welcome Center Team"
    msg = staff_message(
        case,
        sender,
        kind="triage",
        subject=f"[{case.reference}] Triage: keine Zuständigkeit / no eligible manager: {summary}",
        to=mailbox(team, team_address),
        unique=unique,
    )
    return with_parts(msg, "de", "triage_notice", case_context(case, sender), "de, en")


def referral(
    case: CaseView, sender: Sender, *, partner_name: str, partner_address: str, unique: str
) -> EmailMessage:
    """A partner's referral: contact, language, topics and a short excerpt, nothing more."""
    copy = mailbox(case.enquirer_name, case.enquirer_email) if case.enquirer_email else None
    msg = staff_message(
        case,
        sender,
        kind="referral",
        subject=f"[{case.reference}] Vermittlung einer Anfrage / Referral: "
        + TOPIC_LABELS_DE.get(primary_topic(case), primary_topic(case)),
        to=mailbox(partner_name, partner_address),
        unique=unique,
    )
    if copy is not None:
        set_address(msg, "Cc", copy)
    context = {
        "lang": "de",
        "direction": "ltr",
        "title": f"Vermittlung einer Anfrage / Referral {case.reference}",
        "sender_name": sender.name,
        "partner_name": header_text(partner_name),
        "reference": case.reference,
        "name": header_text(case.enquirer_name),
        "email": header_text(case.enquirer_email),
        "phone": header_text(case.enquirer_phone),
        "language": labels.language_label(case.language),
        "topics": labels.topic_labels(case.topics),
        "subject": header_text(case.subject),
        "excerpt": labels.excerpt(body_text(case.message), limit=REFERRAL_EXCERPT),
        "in_copy": copy is not None,
    }
    return with_parts(msg, "de", "referral", context, "de, en")


def advising_site(case: CaseView) -> str | None:
    """Where the enquirer is advised: the manager's site, else (in triage) the case's."""
    return case.manager_site_name or case.site_name


def elsewhere(case: CaseView) -> str | None:
    """Why the manager works at another site than the one of the enquirer's place, or None
    when they do not: "continuity", "language" or "availability"."""
    if not case.manager_site_name or not case.site_name:
        return None  # in triage, or no place in the region: any site is as near
    if case.manager_site_name == case.site_name:
        return None
    kinds = {reason.kind for reason in parse_all(case.reasons)}
    if "continuity" in kinds:
        return "continuity"
    return "language" if "cross_site" in kinds else "availability"


def primary_topic(case: CaseView) -> str:
    return case.topics[0] if case.topics else "other"


def _message(sender: Sender, *, subject: str, to: Address, msg_id: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    set_address(msg, "From", mailbox(sender.name, sender.address))
    set_address(msg, "To", to)
    set_text(msg, "Subject", subject)
    set_plain(msg, "Message-ID", msg_id)
    return msg


def staff_message(
    case: CaseView, sender: Sender, *, kind: str, subject: str, to: Address, unique: str
) -> EmailMessage:
    msg = _message(
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


def case_context(case: CaseView, sender: Sender) -> dict[str, object]:
    return {
        "lang": "de",
        "direction": "ltr",
        "title": f"Anfrage / Enquiry {case.reference}",
        "sender_name": sender.name,
        "reference": case.reference,
        "name": header_text(case.enquirer_name),
        "email": header_text(case.enquirer_email),
        "phone": header_text(case.enquirer_phone),
        "requester": labels.requester_label(case.requester_type),
        "company": header_text(case.company),
        "language": labels.language_label(case.language),
        "interpreter": case.needs_interpreter,
        "topics": labels.topic_labels(case.topics),
        "district": labels.district_name(case.district),
        "site": case.site_name,
        "manager": header_text(case.manager_name),
        "manager_site": case.manager_site_name if elsewhere(case) else None,
        "subject": header_text(case.subject, limit=500),
        "message": body_text(case.message),
        # Staff mails are German, then English, throughout: the reasons too, with names.
        "reasons": {
            language: render_all(case.reasons, case.names, language) for language in STAFF_LANGUAGES
        },
        "case_url": case.case_url,
    }


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
