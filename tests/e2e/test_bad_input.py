"""Bad input over HTTP against the running intake: a clear 4xx naming the field, never a
5xx, nothing half-written; hostile text is accepted but harmless in the mails; the
Idempotency-Key, the rate limit and the status link behave."""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import ManagerRow
from tests.support.stack import (
    Received,
    Stack,
    build_stack,
    deliveries_of,
    enquiry,
    enquiry_by_reference,
    enquiry_count,
)
from tests.support.system import wait_until

LIMIT = 64 * 1024  # WELCOMEDESK_MAX_BODY_BYTES' default


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("bad-input"), postgres_admin) as built:
        yield built


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    """An intake of its own, allowing five posts a minute per address."""
    with build_stack(
        tmp_path_factory.mktemp("rate-limited"),
        postgres_admin,
        env={"WELCOMEDESK_RATE_LIMIT": "5/minute"},
        processes=("intake",),
    ) as built:
        yield built


def _url(stack: Stack) -> str:
    return f"{stack.system.base_url}/api/v1/enquiries"


def _valid() -> dict[str, Any]:
    return enquiry(f"bad.{uuid.uuid4().hex[:8]}@example.net")


def _with(**fields: Any) -> dict[str, Any]:
    return {**_valid(), **fields}


def _without(name: str) -> dict[str, Any]:
    body = _valid()
    del body[name]
    return body


def _fields_named(response: httpx.Response) -> set[str]:
    detail = response.json()["detail"]
    assert isinstance(detail, list), detail
    return {str(part) for error in detail for part in error["loc"]}


# (case, body, the field the answer must name)
INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("name-too-long", _with(name="n" * 201), "name"),
    ("email-too-long", _with(email="e" * 250 + "@example.org"), "email"),
    ("phone-too-long", _with(phone="1" * 51), "phone"),
    ("company-too-long", _with(company="c" * 201), "company"),
    ("postal-code-too-long", _with(postal_code="3" * 13), "postal_code"),
    ("city-too-long", _with(city="c" * 101), "city"),
    ("country-too-long", _with(country="c" * 101), "country"),
    ("preferred-language-too-long", _with(preferred_language="e" * 40), "preferred_language"),
    ("preferred-site-too-long", _with(preferred_site="s" * 65), "preferred_site"),
    ("subject-too-long", _with(subject="s" * 301), "subject"),
    ("message-too-long", _with(message="m" * 20_001), "message"),
    ("name-a-number", _with(name=42), "name"),
    ("name-a-list", _with(name=["Eve", "Example"]), "name"),
    ("email-a-number", _with(email=7), "email"),
    ("postal-code-a-number", _with(postal_code=38106), "postal_code"),
    ("message-a-number", _with(message=42), "message"),
    ("message-an-object", _with(message={"text": "hello"}), "message"),
    ("consent-processing-a-word", _with(consent_processing="maybe"), "consent_processing"),
    ("consent-referral-a-word", _with(consent_referral="perhaps"), "consent_referral"),
    ("message-missing", _without("message"), "message"),
    ("message-empty", _with(message=""), "message"),
    ("message-blank", _with(message="   \n\t "), "message"),
    ("consent-processing-false", _with(consent_processing=False), "consent_processing"),
    ("consent-processing-missing", _without("consent_processing"), "consent_processing"),
    ("requester-type-unknown", _with(requester_type="robot"), "requester_type"),
    ("email-no-at", _with(email="not-an-address"), "email"),
    ("email-no-domain-dot", _with(email="eve@localhost"), "email"),
    ("email-with-crlf", _with(email="eve@example.org\r\nBcc: x@evil.example"), "email"),
    ("email-two-at", _with(email="eve@@example.org"), "email"),
    # A tag of the right shape, longer than the column (16): was a 500.
    (
        "preferred-language-17",
        _with(preferred_language="de-aaaaaaaaaaaaaaaa"),
        "preferred_language",
    ),
    # The API's rules are the form's: one model for both.
    ("no-email-no-phone", {**_without("email"), "phone": None}, "email"),
    ("site-not-in-the-directory", _with(preferred_site="hamburg"), "preferred_site"),
    ("channel-set-by-the-client", _with(channel="web"), "channel"),
    ("consent-processing-yes", _with(consent_processing="yes"), "consent_processing"),
    ("consent-processing-1", _with(consent_processing=1), "consent_processing"),
    ("consent-referral-string", _with(consent_referral="true"), "consent_referral"),
    ("unknown-field", _with(favourite_colour="blue"), "favourite_colour"),
]


@pytest.mark.parametrize(("body", "field"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_an_invalid_field_gets_a_4xx_naming_it_and_stores_nothing(
    stack: Stack, body: dict[str, Any], field: str
) -> None:
    before = enquiry_count(stack.db)
    response = httpx.post(_url(stack), json=body, timeout=10)
    assert response.status_code == 422, response.text
    assert field in _fields_named(response)
    assert enquiry_count(stack.db) == before


# (case, raw body) that is not an object of fields at all
NOT_AN_OBJECT: list[tuple[str, bytes]] = [
    ("invalid-json", b'{"message": "hello", "consent_processing": tru'),
    ("trailing-garbage", b'{"message": "hello", "consent_processing": true} x'),
    ("json-array", b'[{"message": "hello", "consent_processing": true}]'),
    ("json-string", b'"hello"'),
    ("json-null", b"null"),
    ("empty", b""),
    ("not-utf8", b'{"message": "\xff\xfe", "consent_processing": true}'),
]


@pytest.mark.parametrize("raw", [c[1] for c in NOT_AN_OBJECT], ids=[c[0] for c in NOT_AN_OBJECT])
def test_a_body_that_is_no_json_object_gets_a_4xx_and_stores_nothing(
    stack: Stack, raw: bytes
) -> None:
    before = enquiry_count(stack.db)
    response = httpx.post(
        _url(stack), content=raw, headers={"content-type": "application/json"}, timeout=10
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"]
    assert enquiry_count(stack.db) == before


# Text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (a lone surrogate, which JSON's
# \u escapes can carry): (case, field, raw JSON text of the value)
UNSTORABLE: list[tuple[str, str, str]] = [
    ("nul-in-message", "message", '"Hello \\u0000 world"'),
    ("nul-in-name", "name", '"Eve\\u0000 Example"'),
    ("nul-in-subject", "subject", '"Question\\u0000"'),
    ("surrogate-in-message", "message", '"Hello \\ud800 world"'),
    ("surrogate-in-name", "name", '"Eve \\udfff"'),
]


@pytest.mark.parametrize(
    ("field", "value"), [c[1:] for c in UNSTORABLE], ids=[c[0] for c in UNSTORABLE]
)
def test_text_that_cannot_be_stored_gets_a_4xx_not_a_5xx(
    stack: Stack, field: str, value: str
) -> None:
    body = _valid()
    body[field] = "PLACEHOLDER"
    raw = json.dumps(body).replace('"PLACEHOLDER"', value)
    before = enquiry_count(stack.db)
    response = httpx.post(
        _url(stack),
        content=raw.encode(),
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert response.status_code < 500, response.text
    if response.status_code == 202:  # cleaned and stored: once
        assert enquiry_count(stack.db) == before + 1
    else:
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["detail"]
        assert enquiry_count(stack.db) == before


def test_a_phone_number_is_contact_enough_and_a_site_of_the_directory_is_kept(
    stack: Stack,
) -> None:
    body = {**_without("email"), "phone": "+49 531 1234567", "preferred_site": "wolfsburg"}
    response = httpx.post(_url(stack), json=body, timeout=10)
    assert response.status_code == 202, response.text
    row = enquiry_by_reference(stack.db, response.json()["reference"])
    assert row is not None
    assert (row.channel, row.preferred_site, row.email) == ("api", "wolfsburg", None)


# A NUL where a client's string reaches the database: (case, path and query)
NUL_ADDRESSES: list[tuple[str, str]] = [
    ("status-token", "/api/v1/status/abc%00def"),
    ("thanks-token", "/thanks/abc%00def"),
    ("query", "/?lang=de%00"),
    ("status-query", "/api/v1/status/abc?x=%00"),
]


@pytest.mark.parametrize("path", [c[1] for c in NUL_ADDRESSES], ids=[c[0] for c in NUL_ADDRESSES])
def test_a_nul_in_the_address_is_bad_input_not_a_server_error(stack: Stack, path: str) -> None:
    response = httpx.get(f"{stack.system.base_url}{path}", timeout=10)
    assert response.status_code == 400, response.text
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_header_is_bad_input_not_a_server_error(stack: Stack) -> None:
    # Raw bytes: HTTP clients refuse to send such a header at all.
    request = (
        b"GET /api/v1/status/abc HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Accept-Language: de\x00en\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", stack.system.port), timeout=10) as conn:
        conn.sendall(request)
        status_line = conn.makefile("rb").readline()
    status = int(status_line.split()[1])
    assert 400 <= status < 500, status_line


def _chunks(size: int, chunk: int = 4096) -> Iterator[bytes]:
    yield b'{"consent_processing": true, "message": "'
    sent = 0
    while sent < size:
        yield b"m" * chunk
        sent += chunk
    yield b'"}'


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
@pytest.mark.parametrize("size", [LIMIT + 1, 10 * 1024 * 1024], ids=["just-over", "10MB"])
def test_a_body_over_the_limit_gets_413_and_stores_nothing(
    stack: Stack, size: int, chunked: bool
) -> None:
    before = enquiry_count(stack.db)
    content: bytes | Iterator[bytes] = _chunks(size) if chunked else b"".join(_chunks(size))
    response = httpx.post(
        _url(stack), content=content, headers={"content-type": "application/json"}, timeout=30
    )
    assert response.status_code == 413, response.text
    assert "larger than" in response.json()["detail"]
    if chunked:
        assert "content-length" not in response.request.headers
    else:
        assert int(response.request.headers["content-length"]) > LIMIT
    assert enquiry_count(stack.db) == before


def _wait_for_mails(stack: Stack, reference: str) -> list[Received]:
    def all_sent() -> bool:
        rows = deliveries_of(stack.db, reference)
        return len(rows) >= 2 and all(d.status == "sent" for d in rows)

    wait_until(all_sent, timeout=60, what="every mail of the enquiry sent")
    received = stack.smtp.with_reference(reference)
    assert len(received) == len(deliveries_of(stack.db, reference))
    return received


def _kind(message: EmailMessage) -> str:
    """confirmation, manager, triage or referral, from our Message-ID."""
    return str(message["Message-ID"]).strip("<>").split(".")[1]


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert isinstance(part, EmailMessage), f"no text/{subtype} part"
    return str(part.get_content())


def test_crlf_in_name_and_subject_injects_no_header(stack: Stack) -> None:
    address = f"crlf.{uuid.uuid4().hex[:8]}@example.net"
    response = stack.system.post(
        enquiry(
            address,
            name="Eve Example\r\nBcc: attacker@evil.example",
            subject="Question\r\nX-Injected: yes\r\nBcc: attacker2@evil.example",
        )
    )
    assert response.status_code == 202, response.text
    received = _wait_for_mails(stack, response.json()["reference"])
    by_kind = {_kind(r.message): r for r in received}
    assert set(by_kind) == {"confirmation", "manager"}

    for r in received:
        assert not any("evil.example" in rcpt for rcpt in r.rcpt_tos), r.rcpt_tos
        names = {key.lower() for key in r.message}
        assert "bcc" not in names and "x-injected" not in names
        for key, value in r.message.items():
            assert "\r" not in str(value) and "\n" not in str(value), (key, value)

    confirmation = by_kind["confirmation"].message
    assert by_kind["confirmation"].rcpt_tos == (address,)
    assert [a.addr_spec for a in confirmation["To"].addresses] == [address]

    manager = by_kind["manager"].message
    assert [a.addr_spec for a in manager["Reply-To"].addresses] == [address]
    assert "X-Injected: yes" in str(manager["Subject"])  # kept as text, on the one line
    lines = [line for line in _part(manager, "plain").splitlines() if "Eve Example" in line]
    assert lines, "the name is not in the manager's mail"
    assert all("Bcc: attacker@evil.example" in line for line in lines), lines


def test_html_in_the_input_is_escaped_in_every_html_part(stack: Stack) -> None:
    address = f"html.{uuid.uuid4().hex[:8]}@example.net"
    response = stack.system.post(
        enquiry(
            address,
            name="<b>Bold</b> Person",
            subject="<img src=x onerror=alert(1)>",
            message="Please help <script>alert('xss')</script> with the recognition of my "
            "engineering degree; I live in Braunschweig.",
            consent_referral=True,
        )
    )
    assert response.status_code == 202, response.text
    received = _wait_for_mails(stack, response.json()["reference"])
    by_kind = {_kind(r.message): r.message for r in received}
    assert {"confirmation", "manager"} <= set(by_kind)

    for kind, message in by_kind.items():
        html = _part(message, "html")
        for raw in ("<script", "<img", "<b>Bold"):
            assert raw not in html, (kind, raw)
    assert "&lt;b&gt;Bold&lt;/b&gt; Person" in _part(by_kind["confirmation"], "html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in _part(by_kind["confirmation"], "html")
    manager_html = _part(by_kind["manager"], "html")
    assert "&lt;script&gt;alert(" in manager_html
    assert "&lt;b&gt;Bold&lt;/b&gt; Person" in manager_html
    # The text part carries the enquirer's words as written.
    assert "<script>alert('xss')</script>" in _part(by_kind["manager"], "plain")
    if "referral" in by_kind:
        assert "&lt;script&gt;alert(" in _part(by_kind["referral"], "html")


def test_the_same_idempotency_key_and_body_give_the_same_answer_once(stack: Stack) -> None:
    body = _valid()
    key = f"key-{uuid.uuid4().hex}"
    before = enquiry_count(stack.db)
    first = stack.system.post(body, **{"Idempotency-Key": key})
    again = stack.system.post(body, **{"Idempotency-Key": key})
    assert first.status_code == again.status_code == 202, (first.text, again.text)
    assert again.json()["reference"] == first.json()["reference"]
    assert again.json()["status_url"] == first.json()["status_url"]
    assert enquiry_count(stack.db) == before + 1

    other = stack.system.post(_valid(), **{"Idempotency-Key": key})
    assert other.status_code == 409, other.text
    assert "Idempotency-Key" in other.json()["detail"]
    assert enquiry_count(stack.db) == before + 1


def test_posts_racing_with_one_idempotency_key_store_one_enquiry(stack: Stack) -> None:
    body = _valid()
    key = f"race-{uuid.uuid4().hex}"
    before = enquiry_count(stack.db)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda _: stack.system.post(body, **{"Idempotency-Key": key}), range(8))
        )
    assert [a.status_code for a in answers] == [202] * 8, [a.text for a in answers]
    assert len({a.json()["reference"] for a in answers}) == 1
    assert enquiry_count(stack.db) == before + 1


def test_an_idempotency_key_too_long_gets_422_naming_it(stack: Stack) -> None:
    before = enquiry_count(stack.db)
    response = stack.system.post(_valid(), **{"Idempotency-Key": "k" * 201})
    assert response.status_code == 422, response.text
    assert "idempotency-key" in _fields_named(response)
    assert enquiry_count(stack.db) == before


def test_the_sixth_post_in_a_minute_gets_429_with_retry_after(limited: Stack) -> None:
    before = enquiry_count(limited.db)
    for _ in range(5):
        response = limited.system.post(_valid())
        assert response.status_code == 202, response.text
    refused = limited.system.post(_valid())
    assert refused.status_code == 429, refused.text
    retry_after = refused.headers.get("retry-after", "")
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, retry_after
    assert refused.json()["detail"]
    assert enquiry_count(limited.db) == before + 5


def test_a_forwarded_address_does_not_escape_the_limit(limited: Stack) -> None:
    """No proxy is trusted by default: X-Forwarded-For from anyone, 127.0.0.1 included, is
    not the address the limit counts (after the test above, this address is spent)."""
    before = enquiry_count(limited.db)
    answers = [
        limited.system.post(_valid(), **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(1, 7)
    ]
    assert 429 in answers and answers.count(202) <= 5, answers
    assert enquiry_count(limited.db) - before == answers.count(202)


def test_status_lookups_are_limited_too(limited: Stack) -> None:
    url = f"{limited.system.base_url}/api/v1/status/"
    answers = [httpx.get(url + f"guess-{n}", timeout=10) for n in range(6)]
    assert [a.status_code for a in answers] == [404] * 5 + [429], [a.text for a in answers]
    assert answers[-1].headers.get("retry-after", "").isdigit()
    thanks = httpx.get(f"{limited.system.base_url}/thanks/guess", timeout=10)
    assert thanks.status_code == 429, thanks.text


def test_the_status_link_shows_the_case_and_no_personal_data(stack: Stack) -> None:
    name = f"Xaver Statuslink-{uuid.uuid4().hex[:6]}"
    address = f"xaver.{uuid.uuid4().hex[:8]}@example.net"
    response = stack.system.post(enquiry(address, name=name, phone="+49 531 1234567"))
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status_url"].startswith(f"{stack.system.base_url}/api/v1/status/")

    # Once a manager has the case: still nobody's name or address, the manager's neither.
    _wait_for_mails(stack, accepted["reference"])
    status = httpx.get(accepted["status_url"], timeout=10)
    assert status.status_code == 200, status.text
    shown = status.json()
    assert shown["reference"] == accepted["reference"]
    assert shown["status"] == "with_manager"
    with Session(stack.db) as session:
        staff = [(m.name, m.email) for m in session.scalars(select(ManagerRow))]
    assert staff
    people = [address, name, "Xaver", "1234567", "xaver."]
    for personal in [*people, *(part for pair in staff for part in pair)]:
        assert personal.lower() not in status.text.lower(), personal
    assert "@" not in status.text

    token = accepted["status_url"].rsplit("/", 1)[1]
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (wrong, "nothing-here", accepted["reference"]):
        missing = httpx.get(f"{stack.system.base_url}/api/v1/status/{bad}", timeout=10)
        assert missing.status_code == 404, missing.text
        assert accepted["reference"] not in missing.text
