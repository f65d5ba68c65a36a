"""Every kind of mail, as its HTML part shows on a phone in Debian's chromium: nothing wider
than 390 CSS pixels, however long its links, addresses and words, and each reference on one
line, left to right, in right-to-left mails too.

Each mail leaves a screenshot in var/screenshots/mail-*.png for people to look at.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, Page

from services.notifications.compose import (
    CaseView,
    PartnerView,
    confirmation,
    manager_notice,
    referral,
    referral_notice,
    triage_notice,
)
from services.notifications.follow_up import FollowUpView, follow_up_notice
from services.notifications.mime import to_bytes
from tests.support.browser import chromium, fits_the_phone, phone, screenshot
from tests.support.mail_cases import SENDER, case

REFERENCE = "WC-2026-000002"
BASE = "https://welcome-center-region-braunschweig-wolfsburg.example.org"
LONG_ADDRESS = "aleksandra.kovalchuk-petrenko.mariia-ivanivna@mail.example-university.edu.ua"
# Everything as long as people and links make it: names, addresses, a compound noun, a URL.
CASE = case(
    reference=REFERENCE,
    enquirer_name="أمل عبد الرحمن الحسيني الفلسطينية",
    enquirer_email=LONG_ADDRESS,
    company="Pflegedienstleistungsgesellschaft Sonnenschein Wolfenbüttel-Salzgitter GmbH",
    topics=("recognition", "language", "living"),
    subject="معادلة الشهادة Anerkennungsberatungsgesprächsterminvereinbarung",
    message="السلام عليكم، أنا ممرضة من سوريا وأعيش في براونشفايغ.\n"
    "https://www.anerkennung-in-deutschland.de/html/de/pro/berufe/gesundheits-und-krankenpfleger"
    ".php?utm_source=welcomedesk&utm_medium=mail\n"
    + "Anerkennungsberatungsgesprächsterminvereinbarung "
    * 3,
    status_url=f"{BASE}/status/Xq3v9LkP2mZ8wR4tY6uB0nC5dF7gH1jK",
    case_url=f"{BASE}/cases/{REFERENCE}",
)


PARTNER = PartnerView(
    id="p-01",
    name="IQ Anerkennungsberatung Südostniedersachsen – Beratungsstelle Braunschweig",
    email=LONG_ADDRESS,
    languages=("de",),
    topics=("recognition",),
)


def _staff(kind: str) -> Callable[[CaseView], EmailMessage]:
    def compose(case: CaseView) -> EmailMessage:
        if kind == "manager":
            return manager_notice(
                case, SENDER, to_name="Karim Haddad", to_address=LONG_ADDRESS, unique="u"
            )
        if kind == "triage":
            return triage_notice(case, SENDER, team_address=LONG_ADDRESS, unique="u")
        message = FollowUpView(subject=case.subject, text=case.message)
        return follow_up_notice(
            case,
            SENDER,
            to_name="Karim Haddad",
            to_address=LONG_ADDRESS,
            unique="u",
            message=message,
        )

    return compose


def _referral(*languages: str) -> Callable[[CaseView], EmailMessage]:
    partner = replace(PARTNER, languages=languages)
    return lambda case: referral(case, SENDER, partner=partner, unique="u")


MAILS: dict[str, tuple[str, Callable[[CaseView], EmailMessage]]] = {
    **{
        f"confirmation-{language}": (language, lambda c: confirmation(c, SENDER, unique="u"))
        for language in ("de", "en", "ar", "fa", "uk", "zh", "hi", "sw")
    },
    "confirmation-referred-ar": (
        "ar",
        lambda c: confirmation(replace(c, referred=(PARTNER,)), SENDER, unique="u"),
    ),
    **{kind: ("ar", _staff(kind)) for kind in ("manager", "triage", "follow_up")},
    "referral-de": ("ar", _referral("de", "en")),
    "referral-fa": ("ar", _referral("fa")),
    "referral-de-en": ("ar", _referral("sw")),
    **{
        f"referral_notice-{language}": (
            language,
            lambda c: referral_notice(c, SENDER, partner=PARTNER, unique="u"),
        )
        for language in ("ar", "vi")
    },
}

# Each reference in a <bdi>: how many line boxes it takes, and whether its first letter is
# drawn left of its last digit.
_REFERENCES = """() => Array.from(document.querySelectorAll('bdi'))
  .filter(b => /^WC-\\d{4}-\\d{6}$/.test(b.textContent))
  .map(b => {
    const text = b.firstChild, range = document.createRange();
    range.setStart(text, 0); range.setEnd(text, 1);
    const first = range.getBoundingClientRect();
    range.setStart(text, text.length - 1); range.setEnd(text, text.length);
    const last = range.getBoundingClientRect();
    return {lines: b.getClientRects().length, leftToRight: first.left < last.left};
  })"""


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    browser: Browser
    with chromium() as browser:
        context = phone(browser, "de-DE")
        try:
            yield context.new_page()
        finally:
            context.close()


def _html(message: EmailMessage) -> str:
    parsed = email.message_from_bytes(to_bytes(message), policy=email.policy.default)
    body = parsed.get_body(("html",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


@pytest.mark.parametrize("name", list(MAILS))
def test_the_mail_fits_a_phone_and_keeps_its_reference_whole(page: Page, name: str) -> None:
    language, compose = MAILS[name]
    page.set_content(_html(compose(replace(CASE, language=language))))
    screenshot(page, f"mail-{name}")
    fits_the_phone(page)
    references = page.evaluate(_REFERENCES)
    assert references, "no reference isolated in the mail"
    assert all(r == {"lines": 1, "leftToRight": True} for r in references), references
