"""The four outgoing mails, parsed back from their bytes as a mail client would see them."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import parseaddr

import pytest

from services.notifications.compose import (
    CaseView,
    Sender,
    confirmation,
    manager_notice,
    message_id,
    referral,
    referral_notice,
    triage_notice,
)
from services.notifications.mime import to_bytes
from shared.reasons import Names
from tests.support.mail_cases import PARTNER, SENDER
from tests.support.mail_cases import case as case_of

REFERENCE = "WC-2026-000123"
CASE = case_of(
    reference=REFERENCE,
    language="de",
    enquirer_name="Zoë Ölçer",
    enquirer_email="zoe@example.net",
    enquirer_phone="+49 170 1234567",
    requester_type="worker",
    company="Pflegedienst Sonnenschein GmbH",
    topics=("recognition", "language"),
    subject="Anerkennung meines Diploms",
    message="Ich bin Pflegekraft aus der Türkei und möchte in Wolfenbüttel arbeiten.",
    status_url="https://welcome.example.org/status/tok-abc",
    case_url="https://desk.example.org/cases/123",
    reasons=("speaks de", "focus recognition; 3/20 open"),
    needs_interpreter=False,
    names=Names(),
)
INJECTION = "Evil\r\nBcc: x@example.org"
ISOLATED = f'<bdi dir="ltr" style="white-space:nowrap;">{REFERENCE}</bdi>'  # whole, left to right

Compose = Callable[[CaseView], EmailMessage]


def compose_confirmation(case: CaseView) -> EmailMessage:
    return confirmation(case, SENDER, unique="tok1")


def compose_manager_notice(case: CaseView) -> EmailMessage:
    return manager_notice(
        case, SENDER, to_name="Jürgen Öztürk", to_address="juergen@example.org", unique="tok1"
    )


def compose_triage_notice(case: CaseView) -> EmailMessage:
    return triage_notice(case, SENDER, team_address="team-bs@example.org", unique="tok1")


def compose_referral(case: CaseView) -> EmailMessage:
    return referral(case, SENDER, partner=PARTNER, unique="tok1")


def compose_referral_notice(case: CaseView) -> EmailMessage:
    return referral_notice(case, SENDER, partner=PARTNER, unique="tok1")


KINDS: dict[str, Compose] = {
    "confirmation": compose_confirmation,
    "manager": compose_manager_notice,
    "triage": compose_triage_notice,
    "referral": compose_referral,
    "referral_notice": compose_referral_notice,
}
EVERY_KIND = pytest.mark.parametrize("kind", list(KINDS))


def case(**changes: object) -> CaseView:
    return dataclasses.replace(CASE, **changes)  # type: ignore[arg-type]  # test overrides


def parse(msg: EmailMessage) -> EmailMessage:
    return email.message_from_bytes(to_bytes(msg), policy=email.policy.default)


def part(msg: EmailMessage, subtype: str) -> str:
    body = msg.get_body(preferencelist=(subtype,))
    assert body is not None, f"no text/{subtype} part"
    assert body.get_content_type() == f"text/{subtype}"
    return str(body.get_content()).replace("\r\n", "\n")


def text(msg: EmailMessage) -> str:
    return part(msg, "plain")


def html(msg: EmailMessage) -> str:
    return part(msg, "html")


def header_block(msg: EmailMessage) -> bytes:
    return to_bytes(msg).split(b"\r\n\r\n", 1)[0]


# --- every mail ---------------------------------------------------------------------------


@EVERY_KIND
def test_every_mail_is_multipart_alternative_with_text_and_html(kind: str) -> None:
    parsed = parse(KINDS[kind](CASE))
    assert parsed.get_content_type() == "multipart/alternative"
    types = [p.get_content_type() for p in parsed.iter_parts()]
    assert types == ["text/plain", "text/html"]
    assert REFERENCE in text(parsed)
    assert REFERENCE in html(parsed)


@EVERY_KIND
def test_every_subject_starts_with_the_bracketed_reference(kind: str) -> None:
    msg = KINDS[kind](CASE)
    assert str(parse(msg)["Subject"]).startswith(f"[{REFERENCE}] ")
    assert header_block(msg).split(b"\r\nSubject: ", 1)[1].startswith(f"[{REFERENCE}]".encode())


@EVERY_KIND
def test_every_message_id_is_ours_and_names_the_reference(kind: str) -> None:
    parsed = parse(KINDS[kind](CASE))
    assert parsed["Message-ID"] == f"<{REFERENCE}.{kind}.tok1@example.org>"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("confirmation", "auto-replied"),
        ("manager", "auto-generated"),
        ("triage", "auto-generated"),
        ("referral", "auto-generated"),
    ],
)
def test_auto_submitted_follows_rfc_3834(kind: str, expected: str) -> None:
    assert parse(KINDS[kind](CASE))["Auto-Submitted"] == expected


@EVERY_KIND
def test_no_mail_carries_precedence(kind: str) -> None:
    assert "Precedence" not in parse(KINDS[kind](CASE))


@EVERY_KIND
def test_every_mail_comes_from_the_sender(kind: str) -> None:
    sender = parse(KINDS[kind](CASE))["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (SENDER.name, SENDER.address)


@EVERY_KIND
def test_headers_are_ascii_and_folded_at_78_even_for_long_foreign_input(kind: str) -> None:
    long_case = case(
        language="uk",
        enquirer_name="Олександра Ковальчук-Петренко Марія Іванівна",
        subject="Визнання диплома медсестри та курси німецької мови в Брауншвейгу " * 2,
    )
    block = header_block(KINDS[kind](long_case))
    assert block.isascii()
    assert max(len(line) for line in block.split(b"\r\n")) <= 78


@EVERY_KIND
def test_header_injection_through_name_subject_and_company_is_neutralised(kind: str) -> None:
    evil = case(enquirer_name=INJECTION, subject=INJECTION, company=INJECTION)
    msg = KINDS[kind](evil)
    parsed = parse(msg)
    assert "Bcc" not in parsed
    assert not any(line.lower().startswith(b"bcc:") for line in header_block(msg).split(b"\r\n"))
    if kind in ("manager", "triage"):  # the mails whose subject quotes the enquiry's
        assert str(parsed["Subject"]).endswith("Evil Bcc: x@example.org")
    enquirer = [
        address
        for header in ("To", "Cc", "Reply-To")
        if header in parsed
        for address in parsed[header].addresses
        if address.addr_spec == CASE.enquirer_email
    ]
    # The partner's referral reaches the partner alone: the enquirer gets a notice of their own.
    assert len(enquirer) == (0 if kind in ("triage", "referral") else 1)
    assert all(address.display_name == "Evil Bcc: x@example.org" for address in enquirer)
    assert "Evil Bcc: x@example.org" in text(parsed)
    assert "Evil\nBcc" not in text(parsed)


def test_injected_display_name_stays_one_name_on_one_line() -> None:
    parsed = parse(compose_confirmation(case(enquirer_name=INJECTION)))
    (to,) = parsed["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Evil Bcc: x@example.org", "zoe@example.net")


def test_an_address_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="e-mail address"):
        compose_confirmation(case(enquirer_email="zoe@example.net\r\nBcc: x@example.org"))


def test_message_id_shape_and_cleaning() -> None:
    assert message_id(REFERENCE, "confirmation", "a1b2", "example.org") == (
        "<WC-2026-000123.confirmation.a1b2@example.org>"
    )
    assert message_id(REFERENCE, "manager", "a b>\r\n<c", "ex ample.org") == (
        "<WC-2026-000123.manager.abc@example.org>"
    )
    with pytest.raises(ValueError):
        message_id(REFERENCE, "manager", "", "example.org")


def test_message_id_domain_is_the_senders() -> None:
    other = Sender(address="noreply@welcome-bs.de", name="WC")
    msg = confirmation(CASE, other, unique="z9")
    assert parse(msg)["Message-ID"] == "<WC-2026-000123.confirmation.z9@welcome-bs.de>"


# --- encoding --------------------------------------------------------------------------------


def test_non_ascii_subject_is_rfc2047_encoded_and_decodes_back() -> None:
    msg = compose_confirmation(case(language="uk"))
    raw_subject = header_block(msg).split(b"\r\nSubject: ", 1)[1].split(b"\r\nMessage-ID")[0]
    assert b"=?utf-8?b?" in raw_subject
    assert str(parse(msg)["Subject"]) == f"[{REFERENCE}] Ми отримали Ваш запит"


def test_long_german_subject_keeps_its_spaces_when_folded() -> None:
    topic = "Anerkennung ausländischer Abschlüsse für Pflegekräfte und Ärztinnen"
    parsed = parse(compose_manager_notice(case(subject=topic)))
    assert str(parsed["Subject"]).endswith(topic)


@pytest.mark.parametrize("name", ["Zoë Ölçer", "Олена Коваль", "محمد الحسيني", "王小明"])
def test_non_ascii_display_names_are_encoded_and_decode_back(name: str) -> None:
    msg = compose_confirmation(case(enquirer_name=name))
    to_line = header_block(msg).split(b"\r\nTo: ", 1)[1].split(b"\r\n")[0]
    assert to_line.startswith(b"=?utf-8?b?")
    (to,) = parse(msg)["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "zoe@example.net")


LONG_NAMES = [
    "Олександра Ковальчук-Петренко Марія Іванівна",
    "José María García López de la Fuente Müller-Lüdenscheidt",
    "محمد عبد الرحمن الحسيني الفلسطيني ابن عبد الله",
]


@pytest.mark.parametrize("name", LONG_NAMES)
def test_long_display_name_keeps_its_spaces_across_encoded_words(name: str) -> None:
    msg = compose_confirmation(case(enquirer_name=name))
    raw_to = email.message_from_bytes(to_bytes(msg), policy=email.policy.compat32)["To"]
    display, address = parseaddr(str(raw_to))
    assert str(raw_to).count("=?utf-8?b?") > 1  # it did need more than one encoded word
    assert (str(make_header(decode_header(display))), address) == (name, "zoe@example.net")


@pytest.mark.parametrize("name", LONG_NAMES)
def test_long_display_name_is_split_between_words(name: str) -> None:
    # Python's own address parser adds a space between encoded words: a split between
    # words keeps every word whole for it, at worst with a doubled space.
    (to,) = parse(compose_confirmation(case(enquirer_name=name)))["To"].addresses
    assert " ".join(to.display_name.split()) == name


def test_manager_display_name_in_to_decodes_back() -> None:
    (to,) = parse(compose_manager_notice(CASE))["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Jürgen Öztürk", "juergen@example.org")


# --- confirmation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("de", "Wir haben Ihre Anfrage erhalten", "So geht es weiter"),
        ("ar", "لقد استلمنا استفسارك", "الخطوات التالية"),
        ("uk", "Ми отримали Ваш запит", "Що далі"),
        ("tr", "Talebinizi aldık", "Bundan sonra ne olacak?"),
        ("ru", "Мы получили Ваш запрос", "Что дальше"),
        ("es", "Hemos recibido su consulta", "Próximos pasos"),
        ("pl", "Otrzymaliśmy Państwa zapytanie", "Co dalej?"),
        ("fr", "Nous avons bien reçu votre demande", "Prochaines étapes"),
        ("fa", "درخواست شما را دریافت کردیم", "مراحل بعدی"),
        ("zh", "我们已收到您的咨询", "后续步骤"),
        ("hi", "हमें आपकी पूछताछ मिल गई है", "आगे क्या होगा"),
    ],
)
def test_confirmation_speaks_the_enquirers_language(
    language: str, subject: str, phrase: str
) -> None:
    parsed = parse(compose_confirmation(case(language=language)))
    assert str(parsed["Subject"]) == f"[{REFERENCE}] {subject}"
    assert phrase in text(parsed)
    assert phrase in html(parsed)
    assert "What happens next" not in text(parsed)
    assert "Auf Deutsch" not in text(parsed)
    assert parsed["Content-Language"] == language
    assert f'<html lang="{language}"' in html(parsed)


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_arabic_and_persian_html_is_right_to_left(language: str) -> None:
    page = html(parse(compose_confirmation(case(language=language))))
    assert f'<html lang="{language}" dir="rtl">' in page


@pytest.mark.parametrize("language", ["de", "uk", "sw"])
def test_other_html_is_left_to_right(language: str) -> None:
    assert 'dir="rtl"' not in html(parse(compose_confirmation(case(language=language))))


def test_unknown_language_gets_english_with_one_german_line() -> None:
    parsed = parse(compose_confirmation(case(language="sw")))
    body = text(parsed)
    assert str(parsed["Subject"]) == f"[{REFERENCE}] We have received your enquiry"
    assert "What happens next" in body
    german = [line for line in body.splitlines() if line.startswith("Auf Deutsch:")]
    assert german == [
        f"Auf Deutsch: Wir haben Ihre Anfrage {REFERENCE} erhalten und antworten Ihnen"
        " in der Regel innerhalb von 2 Werktagen."
    ]
    assert "Auf Deutsch:" in html(parsed)
    assert parsed["Content-Language"] == "en, de"
    assert '<html lang="en"' in html(parsed)


def test_english_enquirer_gets_no_german_line() -> None:
    parsed = parse(compose_confirmation(case(language="en")))
    assert "Auf Deutsch" not in text(parsed)
    assert parsed["Content-Language"] == "en"


@pytest.mark.parametrize("language", ["pt-BR", "pt_BR", "PT"])
def test_regional_language_tags_use_the_base_language(language: str) -> None:
    parsed = parse(compose_confirmation(case(language=language)))
    assert str(parsed["Subject"]) == f"[{REFERENCE}] Recebemos a sua solicitação"


def test_confirmation_says_what_happens_next() -> None:
    parsed = parse(compose_confirmation(case(language="en")))
    for body, reference in ((text(parsed), REFERENCE), (html(parsed), ISOLATED)):
        assert "will answer you personally, usually within 2 working days" in body
        assert CASE.status_url in body
        assert f"keep the reference {reference} in the subject" in body
        assert "Welcome Center Braunschweig" in body


@pytest.mark.parametrize(("language", "lang"), [("ar", "ar"), ("pt-BR", "pt"), ("sw", "en")])
def test_confirmation_links_the_status_page_in_the_mails_language(language: str, lang: str) -> None:
    parsed = parse(compose_confirmation(case(language=language)))
    link = f"{CASE.status_url}?lang={lang}"
    assert link in text(parsed)
    assert f'<a href="{link}"' in html(parsed)
    assert "/api/" not in text(parsed)


def test_confirmation_promises_the_working_days_it_is_given() -> None:
    body = text(parse(confirmation(case(language="en"), SENDER, unique="t", working_days=1)))
    assert "usually within 1 working day." in body
    body = text(parse(confirmation(case(language="uk"), SENDER, unique="t", working_days=5)))
    assert "протягом 5 робочих днів" in body


def test_confirmation_quotes_only_the_subject_of_the_enquiry() -> None:
    secret = "MEINE-PASSNUMMER-C01X00T47"
    parsed = parse(compose_confirmation(case(message=f"Meine Passnummer ist {secret}.")))
    for body in (text(parsed), html(parsed)):
        assert secret not in body
        assert CASE.subject is not None and CASE.subject in body
        assert CASE.case_url not in body
        assert "focus recognition" not in body


def test_confirmation_suppresses_auto_responses() -> None:
    assert parse(compose_confirmation(CASE))["X-Auto-Response-Suppress"] == "All"


def test_confirmation_threads_on_the_enquirers_own_mail() -> None:
    parsed = parse(compose_confirmation(case(in_reply_to="<CAF+abc.123@mail.example.net>")))
    assert parsed["In-Reply-To"] == "<CAF+abc.123@mail.example.net>"
    assert parsed["References"] == "<CAF+abc.123@mail.example.net>"


@pytest.mark.parametrize("in_reply_to", [None, "", "no-brackets@example.net", "<a@b>\r\nBcc: x@y"])
def test_confirmation_without_a_usable_in_reply_to_starts_a_thread(
    in_reply_to: str | None,
) -> None:
    parsed = parse(compose_confirmation(case(in_reply_to=in_reply_to)))
    assert "In-Reply-To" not in parsed
    assert "References" not in parsed
    assert "Bcc" not in parsed


def test_confirmation_needs_the_enquirers_address() -> None:
    with pytest.raises(ValueError, match="e-mail address"):
        compose_confirmation(case(enquirer_email=None))


def test_confirmation_html_escapes_the_subject_and_name() -> None:
    page = html(parse(compose_confirmation(case(subject="<img src=x>", enquirer_name="<b>Bo</b>"))))
    assert "<img src=x>" not in page
    assert "&lt;img src=x&gt;" in page
    assert "<b>Bo</b>" not in page


# --- on a phone, and in right-to-left languages ----------------------------------------------

LRI, PDI = "\u2066", "\u2069"


def shown(page: str) -> str:
    """An HTML part's body: what a mail client shows (the <title> holds no markup)."""
    return page.split("<body", 1)[1]


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_reference_stays_whole_and_left_to_right_in_right_to_left_mails(
    language: str,
) -> None:
    parsed = parse(compose_confirmation(case(language=language)))
    body = text(parsed)
    # Every reference in the text part sits between the isolates, and none outside them.
    assert body.count(f"{LRI}{REFERENCE}{PDI}") == body.count(REFERENCE) >= 2
    page = shown(html(parsed))
    assert page.count(ISOLATED) == page.count(REFERENCE) >= 2
    assert str(parsed["Subject"]).startswith(f"[{REFERENCE}] ")  # replies still find the case


@pytest.mark.parametrize("language", ["de", "en", "uk"])
def test_left_to_right_text_parts_carry_no_isolates(language: str) -> None:
    body = text(parse(compose_confirmation(case(language=language))))
    assert LRI not in body and PDI not in body
    assert REFERENCE in body


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_html_mail_keeps_its_references_whole(kind: str) -> None:
    page = shown(html(parse(KINDS[kind](CASE))))
    assert page.count(REFERENCE) == page.count(ISOLATED) >= 1
    assert "overflow-wrap:anywhere" in page


@pytest.mark.parametrize(
    ("language", "site", "centre"),
    [
        ("ar", "مركز الترحيب في براونشفايغ", "مركز الترحيب (Welcome Center) لمنطقة"),
        ("fa", "ولکام سنتر براونشوایگ", "ولکام سنتر (Welcome Center) منطقهٔ"),
        ("uk", "Welcome Center у Брауншвайгу", "Welcome Center регіону Брауншвайг-Вольфсбург"),
        ("zh", "不伦瑞克 Welcome Center", "不伦瑞克-沃尔夫斯堡地区 Welcome Center"),
    ],
)
def test_the_site_and_the_signature_speak_the_enquirers_language(
    language: str, site: str, centre: str
) -> None:
    parsed = parse(compose_confirmation(case(language=language)))
    for body in (text(parsed), html(parsed)):
        assert site in body and centre in body
        assert "Welcome Center Region Braunschweig-Wolfsburg" not in body
    assert parsed["From"].addresses[0].display_name == SENDER.name  # one sender for every mail


def test_a_name_the_catalogue_does_not_know_is_shown_as_written() -> None:
    odd = Sender(address="welcome@example.org", name="Welcome Desk Goslar")
    body = text(
        parse(confirmation(case(language="ar", site_name="Standort Goslar"), odd, unique="u"))
    )
    assert "Standort Goslar" in body and "Welcome Desk Goslar" in body


def test_a_name_in_the_other_direction_keeps_its_comma_in_place() -> None:
    arabic = "أمل حداد"
    parsed = parse(compose_confirmation(case(language="de", enquirer_name=arabic)))
    assert text(parsed).startswith(f"Guten Tag \u2068{arabic}\u2069,")
    assert f"Guten Tag <bdi>{arabic}</bdi>," in html(parsed)
    latin = parse(compose_confirmation(case(language="de", enquirer_name="Zoë Ölçer")))
    assert text(latin).startswith("Guten Tag Zoë Ölçer,")  # nothing to isolate


# --- where the enquirer is advised ------------------------------------------------------------

CROSS_SITE = (
    "site braunschweig serves wolfenbuettel",
    "cross-site language match: nobody eligible at braunschweig speaks ar",
    "m-04: speaks ar; generalist; 2/20 open",
)


def _advised_elsewhere(language: str, *reasons: str) -> EmailMessage:
    return parse(
        compose_confirmation(
            case(language=language, manager_site_name="Welcome Center Wolfsburg", reasons=reasons)
        )
    )


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (CROSS_SITE, "Sie werden im Welcome Center Wolfsburg beraten: Dort spricht jemand aus"),
        (
            ("continuity: this enquirer's earlier case is with m-04", *CROSS_SITE[2:]),
            "Sie werden im Welcome Center Wolfsburg beraten, von der Person aus unserem Team, "
            "die Sie schon früher beraten hat.",
        ),
        (
            ("nobody eligible at braunschweig: another site's manager", *CROSS_SITE[2:]),
            "Sie werden im Welcome Center Wolfsburg beraten, weil unser Team im Welcome Center "
            "Braunschweig zurzeit nicht verfügbar ist.",
        ),
    ],
)
def test_the_confirmation_names_the_managers_site_and_why_it_is_another(
    reasons: tuple[str, ...], expected: str
) -> None:
    parsed = _advised_elsewhere("de", *reasons)
    for body in (text(parsed), re.sub(r"<[^>]+>", "", html(parsed))):
        assert expected in body
    assert "Standort: Welcome Center Wolfsburg\n" in text(parsed)
    assert "Standort: Welcome Center Braunschweig" not in text(parsed)


def test_the_reason_for_another_site_speaks_the_enquirers_language() -> None:
    body = text(_advised_elsewhere("ar", *CROSS_SITE))
    assert "الفرع: \u2068مركز الترحيب في فولفسبورغ\u2069" in body
    assert "ستحصل على الاستشارة في \u2068مركز الترحيب في فولفسبورغ\u2069: هناك أحد" in body


@pytest.mark.parametrize(
    ("manager_site", "site"),
    [
        ("Welcome Center Braunschweig", "Welcome Center Braunschweig"),  # the same site
        (None, "Welcome Center Braunschweig"),  # in triage: the case's site
        ("Welcome Center Wolfsburg", None),  # no place in the region: any site is as near
    ],
)
def test_no_reason_is_given_when_there_is_no_other_site(
    manager_site: str | None, site: str | None
) -> None:
    parsed = parse(
        compose_confirmation(
            case(language="en", manager_site_name=manager_site, site_name=site, reasons=CROSS_SITE)
        )
    )
    assert "You will be advised at" not in text(parsed)
    assert f"Site: {manager_site or site}\n" in text(parsed)


def test_the_managers_mail_names_their_site_when_it_is_another() -> None:
    moved = case(manager_site_name="Welcome Center Wolfsburg", reasons=CROSS_SITE)
    body = text(parse(compose_manager_notice(moved)))
    assert "Zuständig / Manager: Ana Müller (Welcome Center Wolfsburg)\n" in body
    assert "Standort / Site: Welcome Center Braunschweig\n" in body
    same = text(
        parse(compose_manager_notice(case(manager_site_name="Welcome Center Braunschweig")))
    )
    assert "Zuständig / Manager: Ana Müller\n" in same


def test_a_language_read_without_confidence_gets_english_and_german() -> None:
    unsure = case_of(
        language="en",
        reasons=("language en unsure (0.25): too little text: German and English",),
    )
    mail = compose_confirmation(unsure)
    assert mail["Content-Language"] == "en, de"
    sure = compose_confirmation(case_of(language="en", reasons=("language en (detected)",)))
    assert sure["Content-Language"] == "en"
