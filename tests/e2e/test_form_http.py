"""The web form over plain HTTP against the running intake: the form's token, the honeypot,
language choice, double submits, and bodies that must give the form back, never a 500."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db.models import EnquiryRow
from tests.support.stack import Stack, build_stack
from tests.support.system import wait_until

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("form-http"), postgres_admin) as built:
        yield built


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    """A browser of its own: its own cookies, no redirects followed."""
    with httpx.Client(base_url=stack.system.base_url, timeout=10) as browser:
        yield browser


def _token(client: httpx.Client, lang: str = "en") -> str:
    page = client.get(f"/?lang={lang}")
    assert page.status_code == 200
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def _fields(email: str, **changes: str) -> dict[str, str]:
    fields = {
        "requester_type": "worker",
        "name": "Olena Kovalenko",
        "email": email,
        "postal_code": "38100",
        "preferred_language": "uk",
        "preferred_site": "",
        "message": "Добрий день! Я інженерка з Харкова, живу в Брауншвайгу. Як визнати мій диплом?",
        "consent_processing": "yes",
        "lang": "en",
    }
    fields.update(changes)
    return fields


def _stored(stack: Stack, email: str) -> int:
    with Session(stack.db) as session:
        count = session.scalar(
            select(func.count()).select_from(EnquiryRow).where(EnquiryRow.email == email)
        )
    return count or 0


def _html_tag(page: httpx.Response) -> str:
    found = re.search(r"<html [^>]*>", page.text)
    assert found is not None
    return found.group(0)


def test_a_post_without_the_forms_token_gets_the_form_back_with_an_error(
    client: httpx.Client, stack: Stack
) -> None:
    email = f"no-token.{uuid.uuid4().hex[:8]}@example.net"
    _token(client)  # the browser has its cookie, but the post carries no token
    page = client.post("/", data=_fields(email))
    assert page.status_code == 400
    assert "For your security, please send the form once more." in page.text
    assert 'value="Olena Kovalenko"' in page.text
    assert TOKEN.search(page.text) is not None  # a fresh token to send again with
    forged = client.post("/", data=_fields(email, csrf_token="forged.token.value"))
    assert forged.status_code == 400 and "For your security" in forged.text
    assert _stored(stack, email) == 0


def test_a_token_from_another_browser_is_refused(stack: Stack) -> None:
    email = f"other.{uuid.uuid4().hex[:8]}@example.net"
    with (
        httpx.Client(base_url=stack.system.base_url, timeout=10) as victim,
        httpx.Client(base_url=stack.system.base_url, timeout=10) as attacker,
    ):
        token = _token(attacker)
        _token(victim)
        page = victim.post("/", data=_fields(email, csrf_token=token))
    assert page.status_code == 400 and "For your security" in page.text
    assert _stored(stack, email) == 0


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(
    client: httpx.Client, stack: Stack
) -> None:
    email = f"robot.{uuid.uuid4().hex[:8]}@example.net"
    answer = client.post(
        "/", data=_fields(email, csrf_token=_token(client), website="https://spam.example")
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/thanks?lang=en"
    thanks = client.get(answer.headers["location"])
    assert thanks.status_code == 200
    assert "Your message has been sent." in thanks.text
    assert "WC-" not in thanks.text
    assert _stored(stack, email) == 0


@pytest.mark.parametrize(
    ("accept_language", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("ar-SY,ar;q=0.9,en;q=0.5", "ar", "rtl"),
        ("fr-FR,fr;q=0.9,es;q=0.8", "fr", "ltr"),
        ("sw,es;q=0.8", "es", "ltr"),
        ("vi", "vi", "ltr"),
        ("fa-IR,fa;q=0.9", "fa", "rtl"),
        ("zh-CN", "zh", "ltr"),
        ("pl;q=0.3,uk;q=0.7", "uk", "ltr"),
        ("sw", "de", "ltr"),
        ("", "de", "ltr"),
    ],
)
def test_the_browsers_languages_choose_the_form_language(
    client: httpx.Client, accept_language: str, lang: str, direction: str
) -> None:
    page = client.get("/", headers={"Accept-Language": accept_language})
    assert page.status_code == 200
    assert _html_tag(page) == f'<html lang="{lang}" dir="{direction}">'
    assert page.headers["content-language"] == lang
    assert "wd_lang" not in page.cookies  # only an explicit choice is remembered


def test_lang_in_the_address_switches_and_is_remembered(client: httpx.Client) -> None:
    page = client.get("/?lang=uk", headers={"Accept-Language": "ar"})
    assert _html_tag(page) == '<html lang="uk" dir="ltr">'
    assert "Запитайте Welcome Center" in page.text
    assert page.cookies.get("wd_lang") == "uk"
    again = client.get("/", headers={"Accept-Language": "ar"})
    assert _html_tag(again) == '<html lang="uk" dir="ltr">'
    unknown = client.get("/?lang=xx", headers={"Accept-Language": "ar"})
    assert _html_tag(unknown) == '<html lang="uk" dir="ltr">'


def test_a_double_submit_stores_one_enquiry(client: httpx.Client, stack: Stack) -> None:
    email = f"twice.{uuid.uuid4().hex[:8]}@example.net"
    fields = _fields(email, csrf_token=_token(client))
    first = client.post("/", data=fields)
    second = client.post("/", data=fields)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert _stored(stack, email) == 1
    thanks = client.get(first.headers["location"])
    assert thanks.status_code == 200
    assert re.search(r"WC-\d{4}-\d{6}", thanks.text)
    assert thanks.headers["referrer-policy"] == "no-referrer"
    changed = client.post("/", data={**fields, "message": "Something else entirely."})
    assert changed.status_code == 400
    assert "This form was already sent with other content." in changed.text
    assert _stored(stack, email) == 1


def _refused(client: httpx.Client, **kwargs: Any) -> httpx.Response:
    page = client.post("/", **kwargs)
    assert page.status_code == 400, page.text[:300]
    assert page.headers["content-type"].startswith("text/html")
    assert 'class="summary"' in page.text
    return page


def test_over_long_and_wrong_fields_give_the_form_back_with_messages(
    client: httpx.Client, stack: Stack
) -> None:
    email = f"long.{uuid.uuid4().hex[:8]}@example.net"
    long = _fields(
        email,
        csrf_token=_token(client),
        name="N" * 500,
        phone="1" * 51,
        postal_code="3" * 13,
        subject="S" * 301,
        message="M" * 20_001,
        requester_type="robot",
        preferred_site="paris",
        preferred_language="xx",
    )
    page = _refused(client, data=long)
    for text in (
        "Name: please shorten this to at most 200 characters.",
        "Phone number: please shorten this to at most 50 characters.",
        "Postal code: please shorten this to at most 12 characters.",
        "Subject: please shorten this to at most 300 characters.",
        "Your message: please shorten this to at most 20000 characters.",
        "I am writing as: please choose one of the options.",
        "Welcome Center site: please choose one of the options.",
        "Language of our answer: please choose one of the options.",
    ):
        assert text in page.text
    assert 'aria-describedby="error-name"' in page.text
    assert _stored(stack, email) == 0


def test_missing_and_odd_fields_give_the_form_back(client: httpx.Client) -> None:
    token = _token(client)
    empty = _refused(client, data={"csrf_token": token, "lang": "de"})
    assert "Ihre Nachricht: Bitte füllen Sie dieses Feld aus." in empty.text
    assert "Einwilligung in die Verarbeitung: Bitte setzen Sie hier ein Häkchen." in empty.text
    assert "E-Mail-Adresse: Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an" in (
        empty.text
    )
    bad_mail = _refused(client, data=_fields("not-an-address", csrf_token=token))
    assert "E-mail address: please enter an address such as name@example.org." in bad_mail.text
    without_name = {k: v for k, v in _fields("file@example.net", csrf_token=token).items()}
    del without_name["name"]
    file_as_name = _refused(
        client,
        data=without_name,
        files={"name": ("name.txt", b"a file, not a name", "text/plain")},
    )
    assert "Name: please enter text only." in file_as_name.text
    as_json = _refused(client, json={"message": "hello", "consent_processing": True})
    assert "Your message" in as_json.text
    broken = _refused(
        client, content=b"--x\r\nnonsense", headers={"Content-Type": "multipart/form-data"}
    )
    assert "We could not read what your browser sent." in broken.text


def test_control_characters_are_dropped_not_fatal(client: httpx.Client, stack: Stack) -> None:
    email = f"nul.{uuid.uuid4().hex[:8]}@example.net"
    fields = _fields(
        email, csrf_token=_token(client), name="Ole\x00na\x07", city="Braun\x00schweig"
    )
    answer = client.post("/", data=fields)
    assert answer.status_code == 303, answer.text[:300]
    with Session(stack.db) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.email == email))
        assert row is not None and (row.name, row.city) == ("Olena", "Braunschweig")


def test_unknown_status_links_and_the_stylesheet(client: httpx.Client) -> None:
    missing = client.get("/thanks/no-such-token?lang=tr")
    assert missing.status_code == 404
    assert "Bu sayfayı bulamıyoruz" in missing.text
    css = client.get("/static/form.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


# --- the status page -------------------------------------------------------------------------

STATUS_LINK = re.compile(r'<a href="([^"]+)" dir="ltr" class="status-link">')


def _sent(client: httpx.Client, email: str, lang: str, **changes: str) -> httpx.Response:
    """The thank-you page after sending the form in `lang`."""
    answer = client.post(
        "/", data=_fields(email, csrf_token=_token(client, lang), lang=lang, **changes)
    )
    assert answer.status_code == 303, answer.text[:300]
    thanks = client.get(answer.headers["location"])
    assert thanks.status_code == 200
    return thanks


def _row(stack: Stack, email: str) -> EnquiryRow:
    with Session(stack.db) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.email == email))
        assert row is not None and row.reference is not None
        return row


def _mail_to(stack: Stack, address: str, about: str | None = None) -> EmailMessage:
    def found() -> EmailMessage | None:
        return next(
            (
                m
                for m in list(stack.smtp.messages)
                if address in str(m["To"]) and (about is None or about in str(m["Subject"]))
            ),
            None,
        )

    return wait_until(found, timeout=30, what=f"a mail to {address}")


def _plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content()).replace("\r\n", "\n")


def test_the_thank_you_pages_status_link_keeps_the_language(
    client: httpx.Client, stack: Stack
) -> None:
    email = f"status.{uuid.uuid4().hex[:8]}@example.net"
    thanks = _sent(client, email, "ar")
    row = _row(stack, email)
    link = STATUS_LINK.search(thanks.text)
    assert link is not None
    assert link.group(1) == f"{stack.system.base_url}/status/{row.status_token}?lang=ar"

    # Opened later on another device: no cookie, a browser set to German.
    with httpx.Client(timeout=10) as other:
        page = other.get(link.group(1), headers={"Accept-Language": "de"})
    assert page.status_code == 200
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert page.headers["content-language"] == "ar"
    assert "<h1>حالة استفسارك</h1>" in page.text
    assert f'<p class="reference" dir="ltr">{row.reference}</p>' in page.text
    assert "<dt>تاريخ الاستلام</dt>" in page.text
    for name in ("content-security-policy", "referrer-policy", "cache-control", "x-frame-options"):
        assert page.headers[name] == thanks.headers[name], name
    assert '<meta name="robots" content="noindex">' in page.text


def test_the_status_page_says_where_and_how_far_in_the_browsers_language(
    client: httpx.Client, stack: Stack
) -> None:
    # Arabic from Wolfsburg: the only Arabic speaker (m-02) works in Braunschweig, so the
    # case keeps its site (Wolfsburg) and the enquirer is advised in Braunschweig.
    email = f"wob.{uuid.uuid4().hex[:8]}@example.net"
    _sent(client, email, "ar", postal_code="38440", preferred_language="ar")
    token = _row(stack, email).status_token

    def routed() -> EnquiryRow | None:
        row = _row(stack, email)
        return row if row.status == "assigned" else None

    row = wait_until(routed, timeout=30, what="the enquiry assigned")
    assert (row.site, row.manager_id) == ("wolfsburg", "m-02")
    # The mails name the same site, and say why it is not the one of the enquirer's place.
    confirmation = _plain(_mail_to(stack, email))
    assert "الفرع: \u2068مركز الترحيب في براونشفايغ\u2069\n" in confirmation
    assert "ستحصل على الاستشارة في \u2068مركز الترحيب في براونشفايغ\u2069: هناك" in confirmation
    manager = _plain(_mail_to(stack, "karim.haddad@example.org", about=row.reference))
    assert "Zuständig / Manager: Karim Haddad (Welcome Center Braunschweig)\n" in manager
    assert "Standort / Site: Welcome Center Wolfsburg\n" in manager
    with httpx.Client(base_url=stack.system.base_url, timeout=10) as fresh:
        page = fresh.get(f"/status/{token}", headers={"Accept-Language": "vi,en;q=0.5"})
        assert _html_tag(page) == '<html lang="vi" dir="ltr">'
        assert "Một tư vấn viên đã nhận yêu cầu của Quý vị và sẽ liên hệ với Quý vị." in page.text
        assert "<dd>Braunschweig</dd>" in page.text
        german = fresh.get(f"/status/{token}?lang=de")
        assert "<dt>Standort des Welcome Centers</dt>\n  <dd>Braunschweig</dd>" in german.text
        assert "Eine Managerin oder ein Manager hat Ihre Anfrage" in german.text
        assert fresh.get(f"/api/v1/status/{token}").json()["site"] == "braunschweig"

        # A manager who took the case on, or answered it, still has it.
        for status in ("accepted", "waiting"):
            with Session(stack.db) as session, session.begin():
                session.get_one(EnquiryRow, row.id).status = status
            assert (
                "Eine Managerin oder ein Manager hat Ihre Anfrage"
                in fresh.get(f"/status/{token}?lang=de").text
            )
            assert fresh.get(f"/api/v1/status/{token}").json()["status"] == "with_manager"


def test_an_unknown_status_link_is_a_page_in_the_language_not_json(client: httpx.Client) -> None:
    for token in ("no-such-token", "x" * 65):
        missing = client.get(f"/status/{token}?lang=fr")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        assert "Nous ne trouvons pas cette page" in missing.text
