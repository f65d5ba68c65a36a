"""Signing in as a person would: a one-time link to set the password, the cookie's flags,
failed attempts limited, idle sessions ended, and the second factor for administrators."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx
import pyotp
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff
from shared.db.engine import session_scope
from shared.db.models import StaffRow, StaffSessionRow
from shared.settings import Settings
from tests.support.desk import PASSWORD, form_token
from tests.support.inprocess import run_app
from welcomedesk.web import create_app


def _settings(sessions: sessionmaker[Session], **extra: object) -> Settings:
    values: dict[str, object] = {
        "secret_key": "sign-in-test-secret-0123456789",
        "database_url": sessions.kw["bind"].url.render_as_string(hide_password=False),
        "broker_url": "redis://127.0.0.1:9/0",
        **extra,
    }
    return Settings.model_validate(values)


def _account(sessions: sessionmaker[Session], role: str = "manager", **kw: object) -> str:
    email = f"s.{uuid.uuid4().hex[:8]}@example.org"
    with session_scope(sessions) as session:
        add_staff(session, email=email, role=role, password=PASSWORD, **kw)  # type: ignore[arg-type]
    return email


async def _post_sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD, next_path: str = ""
) -> httpx.Response:
    page = await client.get("/staff/sign-in", params={"next": next_path} if next_path else None)
    return await client.post(
        "/staff/sign-in",
        data={
            "csrf_token": form_token(page.text),
            "email": email,
            "password": password,
            "next": next_path,
        },
    )


def test_a_link_sets_the_password_once_and_then_sign_in_leads_back(
    sessions: sessionmaker[Session],
) -> None:
    with session_scope(sessions) as session:
        made = add_staff(session, email="new.person@example.org", role="admin")
    assert made.link is not None
    link = made.link

    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get(f"/staff/password/{link}")
        assert page.status_code == 200 and "new.person@example.org" in page.text
        token = form_token(page.text)
        mismatch = await client.post(
            f"/staff/password/{link}",
            data={"csrf_token": token, "password": PASSWORD, "password_again": PASSWORD + "x"},
        )
        assert mismatch.status_code == 400
        done = await client.post(
            f"/staff/password/{link}",
            data={"csrf_token": token, "password": PASSWORD, "password_again": PASSWORD},
        )
        assert done.status_code == 303
        assert (await client.get(f"/staff/password/{link}")).status_code == 404  # used
        opened = await client.get("/cases/WC-2026-000001")
        assert opened.headers["location"] == "/staff/sign-in?next=/cases/WC-2026-000001"
        signed = await _post_sign_in(
            client, "New.Person@example.org", next_path="/cases/WC-2026-000001"
        )
        assert signed.status_code == 303
        assert signed.headers["location"] == "/cases/WC-2026-000001"
        cookie = signed.headers["set-cookie"]
        assert "wd_staff=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # this desk is reached over plain http
        page = await client.get("/cases")
        assert page.status_code == 200
        out = await client.post("/staff/sign-out", data={"csrf_token": form_token(page.text)})
        assert out.status_code == 303
        assert (await client.get("/cases")).status_code == 303

    run_app(_settings(sessions), steps, create_app)


def test_behind_https_the_cookie_is_secure(sessions: sessionmaker[Session]) -> None:
    email = _account(sessions, manager_id=None, role="admin")

    async def steps(client: httpx.AsyncClient) -> None:
        signed = await _post_sign_in(client, email)
        assert "Secure" in signed.headers["set-cookie"]

    run_app(_settings(sessions, base_url="https://desk.example.org"), steps, create_app)


def test_failed_attempts_are_limited_per_account(sessions: sessionmaker[Session]) -> None:
    email = _account(sessions, role="admin")

    async def steps(client: httpx.AsyncClient) -> None:
        answers = [
            (await _post_sign_in(client, email, "wrong password!")).status_code for _ in range(3)
        ]
        assert answers == [401, 401, 401]
        limited = await _post_sign_in(client, email)  # even the right password now waits
        assert limited.status_code == 429 and "Retry-After" in limited.headers
        other = _account(sessions, role="admin")
        assert (await _post_sign_in(client, other)).status_code == 303

    run_app(_settings(sessions, sign_in_limit="3/15minutes"), steps, create_app)


def test_a_forged_form_or_an_unknown_account_tells_nothing(sessions: sessionmaker[Session]) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        forged = await client.post(
            "/staff/sign-in", data={"csrf_token": "x", "email": "a@b.c", "password": "y"}
        )
        assert forged.status_code == 400
        nobody = await _post_sign_in(client, "nobody@example.org")
        wrong = await _post_sign_in(client, _account(sessions, role="admin"), "not the password")
        assert nobody.status_code == wrong.status_code == 401
        message = re.compile(r'role="alert"><p>([^<]+)')
        assert message.findall(nobody.text) == message.findall(wrong.text)

    run_app(_settings(sessions), steps, create_app)


def test_an_idle_session_ends(sessions: sessionmaker[Session]) -> None:
    email = _account(sessions, role="admin")

    async def steps(client: httpx.AsyncClient) -> None:
        assert (await _post_sign_in(client, email)).status_code == 303
        assert (await client.get("/cases")).status_code == 200
        with session_scope(sessions) as session:
            staff_id = session.scalar(select(StaffRow.id).where(StaffRow.email == email))
            idle = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
            session.execute(
                update(StaffSessionRow)
                .where(StaffSessionRow.staff_id == staff_id)
                .values(seen_at=idle)
            )
        assert (await client.get("/cases")).status_code == 303

    run_app(_settings(sessions), steps, create_app)


def test_administrators_set_up_and_use_a_second_factor(sessions: sessionmaker[Session]) -> None:
    email = _account(sessions, role="admin")

    async def steps(client: httpx.AsyncClient) -> None:
        assert (await _post_sign_in(client, email)).status_code == 303
        sent = await client.get("/cases")
        assert sent.headers["location"] == "/staff/two-factor/setup"
        setup = await client.get("/staff/two-factor/setup")
        secret = re.search(r'class="secret">([A-Z2-7]+)<', setup.text)
        assert setup.status_code == 200 and secret is not None and "<svg" in setup.text
        totp = pyotp.TOTP(secret.group(1))
        wrong = await client.post(
            "/staff/two-factor/setup", data={"csrf_token": form_token(setup.text), "code": "000000"}
        )
        assert wrong.status_code == 400
        setup = await client.get("/staff/two-factor/setup")
        secret = re.search(r'class="secret">([A-Z2-7]+)<', setup.text)
        assert secret is not None
        totp = pyotp.TOTP(secret.group(1))
        turned_on = await client.post(
            "/staff/two-factor/setup",
            data={"csrf_token": form_token(setup.text), "code": totp.now()},
        )
        assert turned_on.status_code == 303
        page = await client.get("/cases")
        assert page.status_code == 200
        await client.post("/staff/sign-out", data={"csrf_token": form_token(page.text)})
        first = await _post_sign_in(client, email, next_path="/cases?view=triage")
        assert first.headers["location"].startswith("/staff/two-factor?next=")
        assert (await client.get("/cases")).headers["location"] == "/staff/two-factor"
        assert (await client.get("/api/v1/cases")).status_code == 401
        asked = await client.get(first.headers["location"])
        bad = await client.post(
            "/staff/two-factor",
            data={
                "csrf_token": form_token(asked.text),
                "code": "123456",
                "next": "/cases?view=triage",
            },
        )
        assert bad.status_code == 401
        # The code used to turn it on counts only once: wait for the next one.
        step = totp.timecode(dt.datetime.now(dt.UTC))
        code = totp.at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30))
        with session_scope(sessions) as session:  # as if a step had passed
            session.execute(
                update(StaffRow).where(StaffRow.email == email).values(totp_last_step=step - 5)
            )
        good = await client.post(
            "/staff/two-factor",
            data={"csrf_token": form_token(asked.text), "code": code, "next": "/cases?view=triage"},
        )
        assert good.status_code == 303 and good.headers["location"] == "/cases?view=triage"
        assert (await client.get("/cases")).status_code == 200

    run_app(_settings(sessions, require_2fa=True), steps, create_app)


@pytest.mark.parametrize("header", ["Basic YWRtaW46YWRtaW4=", "Bearer not-a-token", "bearer"])
def test_the_api_wants_a_real_bearer_token(sessions: sessionmaker[Session], header: str) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        answer = await client.get("/api/v1/cases", headers={"Authorization": header})
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"

    run_app(_settings(sessions), steps, create_app)
