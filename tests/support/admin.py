"""The desk's administrators' pages in-process: signing in, and reading what a page says
beside its fields."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import httpx
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff
from shared.db.engine import session_scope
from shared.settings import Settings
from tests.support.desk import PASSWORD, form_token

_FIELD_ERROR = re.compile(r'<p class="field-error" id="err-f-([\w-]+)">([^<]*)</p>')


async def sign_in(client: httpx.AsyncClient, email: str, *, language: str = "en") -> str:
    """Signs in with a fresh cookie jar, the pages in `language`; returns the session's
    CSRF token."""
    client.cookies.clear()
    page = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"csrf_token": form_token(page.text), "email": email, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text
    assert (await client.get(f"/cases?lang={language}")).status_code == 200
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    return str(me.json()["csrf_token"])


def field_errors(page: str) -> dict[str, str]:
    """What the page says beside each field, by the field's id ('capacity', 'uk-text')."""
    return {field: html.unescape(text) for field, text in _FIELD_ERROR.findall(page)}


def desk_with_accounts(
    sessions: sessionmaker[Session], accounts: Sequence[tuple[str, str, str | None]]
) -> Settings:
    """Makes the accounts (e-mail, role, manager id), all with the test password, and
    returns settings for the desk on the same database."""
    with session_scope(sessions) as session:
        for email, role, manager_id in accounts:
            add_staff(session, email=email, role=role, manager_id=manager_id, password=PASSWORD)
    return Settings(
        secret_key="desk-admin-test-secret-0123456789",
        database_url=str(sessions.kw["bind"].url.render_as_string(hide_password=False)),
        broker_url="redis://127.0.0.1:9/0",  # never connected: changes go to the outbox
    )
