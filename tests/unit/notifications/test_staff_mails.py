"""The manager notice and the triage notice: the whole case, its reasons with names."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from services.notifications.compose import CaseView, manager_notice, triage_notice
from tests.support.mail_cases import CASE, REFERENCE, SENDER, case, parse

# The reasons as a manager reads them: names, not ids; German, then English.
REASONS_DE = [
    "Sprache Arabisch (angegeben)",
    "anderer Standort wegen der Sprache: bei Welcome Center Wolfsburg spricht niemand "
    "Verfügbares Arabisch",
    "Karim Haddad: spricht Arabisch; ohne Schwerpunkt, für alle Themen; 4 von 20 Fällen offen",
    "Partner IQ Anerkennungsberatung: Einstellung aus dem Ausland, für die ganze Region, "
    "spricht Arabisch",
]
REASONS_EN = [
    "language Arabic (declared)",
    "cross-site language match: nobody eligible at Welcome Center Wolfsburg speaks Arabic",
    "Karim Haddad: speaks Arabic; generalist, all topics; 4 of 20 cases open",
    "partner IQ Anerkennungsberatung: hiring from abroad, whole region, speaks Arabic",
]


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
    *REASONS_DE,
    *REASONS_EN,
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


def test_manager_notice_lists_the_reasons_with_names_in_german_then_english() -> None:
    body = part(notice(), "plain")
    german = body.split("Routing-Gründe:\n", 1)[1].split("\n\n", 1)[0]
    english = body.split("Routing reasons:\n", 1)[1].split("\n\n", 1)[0]
    assert german.splitlines() == [f"  - {line}" for line in REASONS_DE]
    assert english.splitlines() == [f"  - {line}" for line in REASONS_EN]
    page = part(notice(), "html")
    assert page.index("<li>Karim Haddad: spricht Arabisch") < page.index('<ul lang="en">')
    assert (
        "<li>Karim Haddad: speaks Arabic; generalist, all topics; 4 of 20 cases open</li>" in page
    )


@pytest.mark.parametrize("subtype", ["plain", "html"])
def test_staff_mails_quote_no_manager_or_partner_by_id(subtype: str) -> None:
    for body in (part(notice(), subtype), part(triage(), subtype)):
        assert "m-02" not in body and "p-01" not in body
        assert "4/20 open" not in body


def test_a_reason_no_pattern_knows_is_shown_as_it_is() -> None:
    body = part(notice(case(reasons=("checked by hand",))), "plain")
    assert body.count("  - checked by hand\n") == 2


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
        reasons=("<i>reason</i>", "district unknown: <b>Town</b> is not in the region"),
    )
    page = part(notice(hostile), "html")
    for raw in (
        "<script>",
        '<a href="https://evil.example">',
        "<b>dringend",
        "<img",
        "<i>",
        "<b>T",
    ):
        assert raw not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "A &amp; B &lt;GmbH&gt;" in page
    assert "Bezirk unbekannt: &lt;b&gt;Town&lt;/b&gt; liegt nicht in der Region" in page
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
