"""Referral mails: the partner's, in the partner's language, and the enquirer's notice, in theirs.

A partner gets only what it needs to get in touch: the enquirer's name and contact, their
language, the enquiry's topics and subject and the beginning of its message. The enquirer
is told, in their own language, who got which of their data and why, in a mail of their
own (never a copy of the partner's, which would show the partner's wording and the other
way round); a referral the routing made at once is told in the confirmation instead.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Final

from babel import Locale
from babel.core import UnknownLocaleError

from services.notifications import i18n, labels, vocabulary
from services.notifications.headers import body_text, header_text, mailbox
from services.notifications.messages import (
    enquirer_message,
    staff_message,
    with_parts,
    with_sections,
)
from services.notifications.views import CaseView, PartnerView, Sender, primary_topic

# How much of the message a partner sees in a referral.
REFERRAL_EXCERPT: Final = 300
# A partner none of whose languages has a catalogue reads German, then English.
BILINGUAL: Final = ("de", "en")


def partner_languages(partner: PartnerView) -> tuple[str, ...]:
    """The partner's first listed language that has a catalogue, else German and English."""
    for code in partner.languages:
        language, fallback = i18n.confirmation_language(code)
        if not fallback:
            return (language,)
    return BILINGUAL


def partner_topic(case: CaseView, partner: PartnerView) -> str | None:
    """The enquiry's first topic the partner advises on (primary first), if any."""
    return next((topic for topic in case.topics if topic in partner.topics), None)


def language_name(code: str, in_language: str) -> str:
    """'Arabisch (ar)': the enquirer's language, named in the mail's language."""
    try:
        named = Locale.parse(in_language).languages.get(code)
    except (UnknownLocaleError, ValueError):
        named = None
    return f"{named} ({code})" if named else code


def referral(case: CaseView, sender: Sender, *, partner: PartnerView, unique: str) -> EmailMessage:
    """The partner's mail: the enquiry, minimal data, in the partner's language."""
    languages = partner_languages(partner)
    topic = partner_topic(case, partner) or primary_topic(case)
    subjects = [
        i18n.render(
            language,
            "referral_subject.txt.j2",
            topic=vocabulary.topic(i18n.translations(language), topic),
        ).strip()
        for language in languages
    ]
    msg = staff_message(
        case,
        sender,
        kind="referral",
        subject=f"[{case.reference}] " + " / ".join(subjects),
        to=mailbox(partner.name, partner.email),
        unique=unique,
    )
    sections = [(language, _partner_context(case, partner, language)) for language in languages]
    return with_sections(
        msg,
        sections,
        "referral",
        title=" / ".join(subjects),
        sender_name=vocabulary.name(i18n.translations(languages[0]), sender.name) or sender.name,
    )


def _partner_context(case: CaseView, partner: PartnerView, language: str) -> dict[str, object]:
    words = i18n.translations(language)
    return {
        "lang": language,
        "direction": i18n.text_direction(language),
        "partner_name": header_text(partner.name),
        "reference": case.reference,
        "name": header_text(case.enquirer_name),
        "email": header_text(case.enquirer_email),
        "phone": header_text(case.enquirer_phone),
        "language": language_name(case.language, language),
        "topics": [vocabulary.topic(words, code) for code in case.topics],
        "subject": header_text(case.subject),
        "excerpt": labels.excerpt(body_text(case.message), limit=REFERRAL_EXCERPT),
        "told": bool(case.enquirer_email),  # the enquirer gets a notice, or the confirmation
    }


def referred_context(
    case: CaseView, partners: tuple[PartnerView, ...], language: str
) -> dict[str, object]:
    """What the enquirer is told of referrals: to whom, on what, and which data went there."""
    words = i18n.translations(language)
    told = []
    for partner in partners:
        topic = partner_topic(case, partner)
        told.append(
            {
                "name": header_text(partner.name),
                "email": partner.email,
                "topic": vocabulary.topic(words, topic) if topic else None,
            }
        )
    return {
        "referred": told,
        "reference": case.reference,
        # Which of the enquirer's data the partner got: the same fields as its mail shows.
        "name": header_text(case.enquirer_name),
        "email": header_text(case.enquirer_email),
        "phone": header_text(case.enquirer_phone),
        "subject": header_text(case.subject),
    }


def referral_notice(
    case: CaseView, sender: Sender, *, partner: PartnerView, unique: str
) -> EmailMessage:
    """Tells the enquirer, in their language, that a manager referred them to a partner."""
    language, _fallback = i18n.confirmation_language(case.language)
    title = i18n.render(language, "referral_notice_subject.txt.j2").strip()
    context = {
        **referred_context(case, (partner,), language),
        "title": title,
        "lang": language,
        "direction": i18n.text_direction(language),
        "sender_name": vocabulary.name(i18n.translations(language), sender.name),
    }
    msg = enquirer_message(
        case,
        sender,
        kind="referral_notice",
        title=title,
        unique=unique,
        auto_submitted="auto-generated",  # told because a manager acted, not answering a mail
    )
    return with_parts(msg, language, "referral_notice", context, language)
