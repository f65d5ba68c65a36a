"""The manager notice, the triage notice and the partner referral: what each tells, and hides."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from email.message import EmailMessage

import pytest
from jinja2 import meta

from services.notifications import i18n
from services.notifications.compose import (
    CaseView,
    Sender,
    manager_notice,
    referral,
    triage_notice,
)
from services.notifications.mime import to_bytes
from shared.mail_requests import REFERRAL_DATA

REFERENCE = "WC-2026-000456"
SENDER = Sender(address="welcome@example.org", name="Welcome Center Region Braunschweig-Wolfsburg")
CASE = CaseView(
    reference=REFERENCE,
    language="ar",
    enquirer_name="Samira Haddad",
    enquirer_email="samira@example.net",
    enquirer_phone="+49 151 2345678",
    requester_type="employer",
    company="Haddad Logistik GmbH",
    topics=("employer_hiring", "recognition"),
    district="wolfenbuettel",
    site_name="Welcome Center Braunschweig",
    subject="Fachkräfte aus Jordanien",
    message="Wir möchten zwei Berufskraftfahrer aus Jordanien einstellen.\nWie geht das?",
    status_url="https://welcome.example.org/status/tok-xyz",
    case_url="https://desk.example.org/cases/456",
    reasons=("cross-site language match: speaks ar", "focus employer_hiring; 4/20 open"),
    needs_interpreter=True,
    manager_name="Ana Müller",
)


def case(**changes: object) -> CaseView:
    return dataclasses.replace(CASE, **changes)  # type: ignore[arg-type]  # test overrides


def parse(msg: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(to_bytes(msg), policy=email.policy.default)


def part(msg: EmailMessage, subtype: str) -> str:
    body = msg.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    return str(body.get_content()).replace("\r\n", "\n")


def notice(c: CaseView = CASE) -> EmailMessage:
    return parse(
        manager_notice(c, SENDER, to_name="Ana Müller", to_address="ana@example.org", unique="n1")
    )


def triage(c: CaseView = CASE) -> EmailMessage:
    return parse(triage_notice(c, SENDER, team_address="team-bs@example.org", unique="t1"))


def refer(c: CaseView = CASE) -> EmailMessage:
    return parse(
        referral(
            c,
            SENDER,
            partner_name="IQ Netzwerk Niedersachsen",
            partner_address="iq@example.com",
            unique="r1",
        )
    )


CASE_FACTS = [
    REFERENCE,
    "Samira Haddad",
    "samira@example.net",
    "+49 151 2345678",
    "Unternehmen / employer",
    "Haddad Logistik GmbH",
    "ar (Arabisch / Arabic)",
    "Dolmetschung nötig / interpreter needed",
    "Einstellung aus dem Ausland / hiring from abroad",
    "Anerkennung ausländischer Abschlüsse / recognition of qualifications",
    "Wolfenbüttel",
    "Welcome Center Braunschweig",
    "Fachkräfte aus Jordanien",
    "Wir möchten zwei Berufskraftfahrer aus Jordanien einstellen.",
    "cross-site language match: speaks ar",
    "focus employer_hiring; 4/20 open",
    "https://desk.example.org/cases/456",
]


# --- manager notice --------------------------------------------------------------------------


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_manager_notice_carries_the_whole_case(subtype: str) -> None:
    body = part(notice(), subtype)
    missing = [fact for fact in CASE_FACTS if fact not in body]
    assert missing == []


def test_manager_notice_is_german_first_then_english() -> None:
    body = part(notice(), "plain")
    assert body.index("Guten Tag Ana Müller") < body.index("Hello Ana Müller")
    assert notice()["Content-Language"] == "de, en"


def test_manager_notice_lists_the_reasons() -> None:
    body = part(notice(), "plain")
    assert "  - cross-site language match: speaks ar\n" in body
    assert "<li>focus employer_hiring; 4/20 open</li>" in part(notice(), "html")


def test_manager_notice_links_the_case() -> None:
    assert '<a href="https://desk.example.org/cases/456">' in part(notice(), "html")


def test_interpreter_is_mentioned_only_when_needed() -> None:
    assert "interpreter needed" not in part(notice(case(needs_interpreter=False)), "plain")


def test_manager_notice_goes_to_the_manager_and_replies_to_the_enquirer() -> None:
    parsed = notice()
    assert parsed["To"].addresses[0].addr_spec == "ana@example.org"
    (reply_to,) = parsed["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == ("Samira Haddad", "samira@example.net")


def test_manager_notice_without_an_enquirer_address_has_no_reply_to() -> None:
    parsed = notice(case(enquirer_email=None))
    assert "Reply-To" not in parsed
    assert "E-Mail: –" in part(parsed, "plain")


def test_manager_notice_escapes_html_from_the_enquirer() -> None:
    hostile = case(
        message='<script>alert("x")</script>\n<a href="https://evil.example">klick</a>',
        subject="<b>dringend</b>",
        enquirer_name="<img src=x onerror=alert(1)>",
        company="A & B <GmbH>",
        reasons=("<i>reason</i>",),
    )
    page = part(notice(hostile), "html")
    for raw in ("<script>", '<a href="https://evil.example">', "<b>dringend", "<img", "<i>"):
        assert raw not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "A &amp; B &lt;GmbH&gt;" in page
    # The text part is plain text: nothing to escape, the message as written.
    assert '<script>alert("x")</script>' in part(notice(hostile), "plain")


def test_manager_notice_keeps_the_messages_lines() -> None:
    body = part(notice(), "plain")
    assert "einstellen.\nWie geht das?" in body
    assert "white-space:pre-wrap" in part(notice(), "html")


def test_manager_notice_drops_control_characters_from_the_message() -> None:
    body = part(notice(case(message="eins\x00zwei\r\ndrei\x1bvier")), "plain")
    assert "eins zwei\ndrei vier" in body


def test_manager_notice_auto_generated() -> None:
    parsed = notice()
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Auto-Response-Suppress"] == "OOF, AutoReply"


# --- triage notice ---------------------------------------------------------------------------


def test_triage_notice_is_headed_no_manager_eligible() -> None:
    body = part(triage(), "plain")
    first_lines = body.splitlines()[:2]
    assert "Triage-Warteschlange" in first_lines[0]
    assert first_lines[1].startswith("No manager was eligible: the case waits in the triage queue")
    assert "No manager was eligible" in part(triage(), "html")


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_triage_notice_carries_the_whole_case(subtype: str) -> None:
    body = part(triage(), subtype)
    assert [fact for fact in CASE_FACTS if fact not in body] == []


def test_triage_notice_goes_to_the_site_team() -> None:
    parsed = triage()
    (to,) = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == (
        "Team Welcome Center Braunschweig",
        "team-bs@example.org",
    )
    assert "no eligible manager" in str(parsed["Subject"])
    assert parsed["Auto-Submitted"] == "auto-generated"


# --- referral --------------------------------------------------------------------------------

LONG_TAIL = "GEHEIMES-ENDE-DER-NACHRICHT"
LONG_MESSAGE = "Ich suche eine Anerkennungsberatung für meinen Abschluss. " * 8 + LONG_TAIL


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_referral_carries_the_minimal_data(subtype: str) -> None:
    body = part(refer(case(message=LONG_MESSAGE)), subtype)
    for fact in (
        REFERENCE,
        "Samira Haddad",
        "samira@example.net",
        "+49 151 2345678",
        "ar (Arabisch / Arabic)",
        "Einstellung aus dem Ausland / hiring from abroad",
        "Fachkräfte aus Jordanien",
        "Ich suche eine Anerkennungsberatung für meinen Abschluss.",
    ):
        assert fact in body, fact


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_referral_hides_the_rest_of_the_record(subtype: str) -> None:
    body = part(refer(case(message=LONG_MESSAGE)), subtype)
    for secret in (
        LONG_TAIL,
        LONG_MESSAGE,
        *CASE.reasons,
        CASE.case_url,
        CASE.status_url,
        "Haddad Logistik",
        "Wolfenbüttel",
        "Ana Müller",
        "Dolmetschung",
    ):
        assert secret not in body, secret


def test_referral_excerpt_is_about_300_characters() -> None:
    body = part(refer(case(message="x" * 280 + " " + "y" * 100)), "plain")
    (line,) = [line for line in body.splitlines() if line.startswith("Kurzfassung / Summary: ")]
    excerpt = line.removeprefix("Kurzfassung / Summary: ")
    assert excerpt == "x" * 280 + " …"
    assert "Kurzfassung / Summary: kurz\n" in part(refer(case(message="kurz")), "plain")


def test_referral_copies_the_enquirer_and_says_so() -> None:
    parsed = refer()
    (cc,) = parsed["Cc"].addresses
    assert (cc.display_name, cc.addr_spec) == ("Samira Haddad", "samira@example.net")
    assert parsed["To"].addresses[0].addr_spec == "iq@example.com"
    assert "erhält diese E-Mail in Kopie" in part(parsed, "plain")
    assert "they are in copy, please contact them directly." in part(parsed, "plain")


def test_referral_without_an_enquirer_address_says_to_call() -> None:
    parsed = refer(case(enquirer_email=None))
    assert "Cc" not in parsed
    body = part(parsed, "plain")
    assert "keine E-Mail-Adresse angegeben; bitte nehmen Sie telefonisch Kontakt auf" in body
    assert "they gave no e-mail address, please call them." in body
    assert "in Kopie" not in body


def test_referral_without_any_contact_asks_the_partner_to_reply() -> None:
    parsed = refer(case(enquirer_email=None, enquirer_phone=None))
    assert "Cc" not in parsed
    body = part(parsed, "plain")
    assert "bitte antworten Sie auf diese E-Mail, wir stellen den Kontakt her" in body
    assert "telefonisch" not in body


def test_referral_is_german_with_an_english_line() -> None:
    body = part(refer(), "plain")
    assert body.startswith("Guten Tag IQ Netzwerk Niedersachsen,")
    english = [line for line in body.splitlines() if line.startswith("In English:")]
    assert len(english) == 1
    parsed = refer()
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert str(parsed["Subject"]).startswith(f"[{REFERENCE}] Vermittlung einer Anfrage")


def test_referral_escapes_html() -> None:
    page = part(refer(case(message="<script>x()</script>", enquirer_name="<b>B</b>")), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;x()&lt;/script&gt;" in page
    assert "<b>B</b>" not in page


@pytest.mark.parametrize("template", ["referral.txt.j2", "referral.html.j2"])
def test_referral_carries_exactly_what_an_export_says_it_passed_on(template: str) -> None:
    env = i18n.environment("de")
    source = env.loader.get_source(env, template)[0] if env.loader else ""
    used = meta.find_undeclared_variables(env.parse(source))
    about_the_mail = {"partner_name", "sender_name", "in_copy", "lang", "direction", "title"}
    assert used - about_the_mail == set(REFERRAL_DATA)
