"""Referrals: the partner's mail in the partner's language with minimal data, and the enquirer
told in their own language who got which of their data, and why."""

from __future__ import annotations

import dataclasses
import re
from email.message import EmailMessage

import pytest

from services.notifications.compose import (
    CaseView,
    PartnerView,
    confirmation,
    referral,
    referral_notice,
)
from tests.support.mail_cases import CASE, PARTNER, REFERENCE, SENDER, case, parse

LONG_TAIL = "GEHEIMES-ENDE-DER-NACHRICHT"
LONG_MESSAGE = "Ich suche eine Anerkennungsberatung für meinen Abschluss. " * 8 + LONG_TAIL


def part(msg: EmailMessage, subtype: str) -> str:
    body = msg.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content()).replace("\r\n", "\n")


def words(page: str) -> str:
    """An HTML part as a reader sees its words: no tags, spaces made one."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def refer(c: CaseView = CASE, **partner: object) -> EmailMessage:
    speaking = dataclasses.replace(PARTNER, **partner)  # type: ignore[arg-type]  # test overrides
    return parse(referral(c, SENDER, partner=speaking, unique="r1"))


def notice(c: CaseView = CASE, partner: PartnerView = PARTNER) -> EmailMessage:
    return parse(referral_notice(c, SENDER, partner=partner, unique="n1"))


# --- the partner's mail ----------------------------------------------------------------------


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_the_partner_gets_the_minimal_data(subtype: str) -> None:
    body = part(refer(case(message=LONG_MESSAGE)), subtype)
    for fact in (
        REFERENCE,
        "Samira Haddad",
        "samira@example.net",
        "+49 151 2345678",
        "Arabisch (ar)",
        "Einstellung von Fachkräften aus dem Ausland",
        "Anerkennung ausländischer Abschlüsse",
        "Fachkräfte aus Jordanien",
        "Ich suche eine Anerkennungsberatung für meinen Abschluss.",
    ):
        assert fact in body, fact


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_the_partner_sees_nothing_else_of_the_record(subtype: str) -> None:
    body = part(refer(case(message=LONG_MESSAGE)), subtype)
    for secret in (
        LONG_TAIL,
        LONG_MESSAGE,
        *CASE.reasons,
        "Karim Haddad",
        CASE.case_url,
        CASE.status_url,
        "Haddad Logistik",
        "Wolfenbüttel",
        "Ana Müller",
        "Dolmetsch",
    ):
        assert secret not in body, secret


def test_the_excerpt_is_about_300_characters() -> None:
    body = part(refer(case(message="x" * 280 + " " + "y" * 100)), "plain")
    (line,) = [line for line in body.splitlines() if line.startswith("Anfang der Nachricht: ")]
    assert line.removeprefix("Anfang der Nachricht: ") == "x" * 280 + " …"


def test_the_enquirer_is_not_in_copy_and_the_partner_knows_they_were_told() -> None:
    parsed = refer()
    assert "Cc" not in parsed and "Bcc" not in parsed
    assert [a.addr_spec for a in parsed["To"].addresses] == ["iq@example.com"]
    assert "Wir haben der anfragenden Person mitgeteilt, dass wir ihre Anfrage an Sie" in part(
        parsed, "plain"
    )


def test_without_an_address_the_partner_is_asked_to_call() -> None:
    body = part(refer(case(enquirer_email=None)), "plain")
    assert "keine E-Mail-Adresse angegeben; bitte rufen Sie sie an." in body
    assert "mitgeteilt" not in body


def test_without_any_contact_the_partner_is_asked_to_reply() -> None:
    body = part(refer(case(enquirer_email=None, enquirer_phone=None)), "plain")
    assert "bitte antworten Sie auf diese E-Mail, wir stellen den Kontakt her." in body


@pytest.mark.parametrize(
    ("languages", "lang", "subject", "greeting"),
    [
        (("de", "en", "ar"), "de", "Vermittlung einer Anfrage: Einstellung von", "Guten Tag"),
        (("en", "de"), "en", "Referral of an enquiry: hiring staff from abroad", "Hello"),
        (("ar", "de"), "ar", "إحالة استفسار: توظيف عاملين من الخارج", "مرحبًا"),
        (("sw", "fr", "de"), "fr", "Transmission d'une demande : recrutement", "Bonjour"),
    ],
)
def test_the_partner_reads_its_first_listed_language_with_a_catalogue(
    languages: tuple[str, ...], lang: str, subject: str, greeting: str
) -> None:
    parsed = refer(languages=languages)
    assert str(parsed["Subject"]).startswith(f"[{REFERENCE}] {subject}")
    assert parsed["Content-Language"] == lang
    assert part(parsed, "plain").startswith(f"{greeting} ")
    page = part(parsed, "html")
    assert f'<div lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    assert page.count("<div lang=") == 1


@pytest.mark.parametrize("languages", [("sw",), ()])
def test_a_partner_without_a_catalogue_language_reads_german_then_english(
    languages: tuple[str, ...],
) -> None:
    parsed = refer(languages=languages)
    assert parsed["Content-Language"] == "de, en"
    assert str(parsed["Subject"]) == (
        f"[{REFERENCE}] Vermittlung einer Anfrage: Einstellung von Fachkräften aus dem Ausland"
        " / Referral of an enquiry: hiring staff from abroad"
    )
    body = part(parsed, "plain")
    assert body.index("Guten Tag IQ Netzwerk") < body.index("Hello IQ Netzwerk")
    page = part(parsed, "html")
    assert page.index('<div lang="de" dir="ltr">') < page.index('<div lang="en" dir="ltr">')


def test_the_subject_names_a_topic_the_partner_advises_on() -> None:
    parsed = refer(topics=("recognition",))
    assert str(parsed["Subject"]).endswith("Anerkennung ausländischer Abschlüsse")


def test_the_partner_mail_escapes_html() -> None:
    page = part(refer(case(message="<script>x()</script>", enquirer_name="<b>B</b>")), "html")
    assert "<script>" not in page and "<b>B</b>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page


# --- the enquirer's notice -------------------------------------------------------------------


def test_the_notice_tells_the_enquirer_in_their_language_who_got_what() -> None:
    parsed = notice()
    assert [a.addr_spec for a in parsed["To"].addresses] == ["samira@example.net"]
    assert str(parsed["Subject"]) == f"[{REFERENCE}] أحلنا استفسارك إلى منظمة شريكة"
    assert parsed["Content-Language"] == "ar"
    assert parsed["Auto-Submitted"] == "auto-generated"
    body = part(parsed, "plain")
    for said in (
        "بموافقتك، أحلنا استفسارك إلى منظمة شريكة يمكنها مساعدتك:",
        "\u2068IQ Netzwerk Niedersachsen\u2069",
        "iq@example.com",
        "تقدّم الاستشارة في: توظيف عاملين من الخارج",  # the case's first topic the partner covers
        "  - اسمك\n  - عنوان بريدك الإلكتروني\n  - رقم هاتفك\n  - لغة استفسارك\n"
        "  - مجالات استفسارك\n  - موضوع استفسارك\n  - بداية رسالتك\n",
        f"رقمك المرجعي \u2066{REFERENCE}\u2069",
        "يمكنك سحب موافقتك في أي وقت",
    ):
        assert said in body, said
    page = part(parsed, "html")
    assert '<html lang="ar" dir="rtl">' in page
    assert '<a href="mailto:iq@example.com" dir="ltr">iq@example.com</a>' in page


def test_the_notice_lists_only_the_data_that_went_to_the_partner() -> None:
    body = part(notice(case(language="en", enquirer_phone=None, subject=None)), "plain")
    sent = body.split("we sent them:\n", 1)[1].split("\n\n", 1)[0]
    assert sent.splitlines() == [
        "  - your name",
        "  - your e-mail address",
        "  - the language of your enquiry",
        "  - the topics of your enquiry",
        "  - the beginning of your message",
    ]


def test_the_notice_names_no_topic_the_partner_does_not_advise_on() -> None:
    body = part(notice(partner=dataclasses.replace(PARTNER, topics=("living",))), "plain")
    assert "تقدّم الاستشارة في" not in body


def test_the_notice_shows_nothing_of_the_case_beyond_the_enquirers_own() -> None:
    for subtype in ("plain", "html"):
        body = part(notice(case(message=LONG_MESSAGE)), subtype)
        for secret in (LONG_TAIL, CASE.case_url, "Karim Haddad", "Ana Müller", "m-02", "p-01"):
            assert secret not in body, secret


def test_a_notice_needs_the_enquirers_address() -> None:
    with pytest.raises(ValueError, match="e-mail address"):
        notice(case(enquirer_email=None))


def test_an_unknown_language_reads_the_notice_in_english() -> None:
    parsed = notice(case(language="sw"))
    assert parsed["Content-Language"] == "en"
    assert "With your consent, we have passed your enquiry on" in part(parsed, "plain")


# --- the confirmation of a case referred at once ---------------------------------------------


def test_a_confirmation_of_an_auto_referred_case_says_so() -> None:
    referred = parse(confirmation(case(referred=(PARTNER,)), SENDER, unique="c1"))
    for body in (part(referred, "plain"), words(part(referred, "html"))):
        assert "أُحيل استفسارك إلى منظمة شريكة" in body
        assert "IQ Netzwerk Niedersachsen" in body and "iq@example.com" in body
        assert "بداية رسالتك" in body
    plain = parse(confirmation(CASE, SENDER, unique="c1"))
    assert "منظمة شريكة" not in part(plain, "plain")
    assert "iq@example.com" not in part(plain, "html")
