"""The product's outgoing mails, built from plain values: no I/O, no clock, no settings.

Every mail has a text and an HTML part, a subject that starts with "[WC-…]" so a
reply finds its case, a Message-ID of ours that names the reference, and header
values cleaned of control characters. The caller adds Date when it sends.
"""

from email.message import EmailMessage
from typing import Final

from services.notifications import i18n, labels, referrals, vocabulary
from services.notifications.headers import (
    body_text,
    header_text,
    mailbox,
    message_id,
    thread_id,
)
from services.notifications.messages import (
    answerable_staff_message,
    enquirer_message,
    staff_message,
    with_parts,
)
from services.notifications.mime import set_plain
from services.notifications.referrals import referral, referral_notice
from services.notifications.views import CaseView, PartnerView, Sender, primary_topic
from shared.reasons import STAFF_LANGUAGES, parse, parse_all, render_all

__all__ = [
    "CaseView",
    "PartnerView",
    "Sender",
    "answerable_staff_message",
    "case_context",
    "confirmation",
    "manager_notice",
    "message_id",
    "primary_topic",
    "referral",
    "referral_notice",
    "staff_message",
    "triage_notice",
    "with_parts",
]

# How long an enquirer usually waits for a manager's answer, as the confirmation promises.
DEFAULT_WORKING_DAYS: Final = 2


def language_unsure(lines: tuple[str, ...]) -> bool:
    """Whether routing read the language with too little confidence to write in it."""
    return any(parse(line).kind == "language_unsure" for line in lines)


def confirmation(
    case: CaseView,
    sender: Sender,
    *,
    unique: str,
    working_days: int = DEFAULT_WORKING_DAYS,
) -> EmailMessage:
    """The enquirer's confirmation, in their language (else English with a German line,
    also when the language could not be read with confidence)."""
    language, fallback = i18n.confirmation_language(case.language)
    if language_unsure(case.reasons):
        language, fallback = i18n.SOURCE_LANGUAGE, True
    words = i18n.translations(language)
    title = i18n.render(language, "confirmation_subject.txt.j2").strip()
    context = {
        **referrals.referred_context(case, case.referred, language),
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
    msg = enquirer_message(
        case,
        sender,
        kind="confirmation",
        title=title,
        unique=unique,
        auto_submitted="auto-replied",
    )
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
