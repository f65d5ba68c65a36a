"""The audit log as the desk writes it, on PostgreSQL: one entry per case read (page and
API), change and download, and per sign-in, made or failed; codes only; never updated."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff, create_api_token
from shared import consent
from shared.db.engine import session_scope
from shared.db.models import AuditRow, StaffRow
from shared.privacy import audit
from shared.settings import Settings
from tests.support.cases import new_case
from tests.support.desk import PASSWORD, form_token
from tests.support.inprocess import run_app
from welcomedesk.web import create_app

MANAGER = "audited.manager@example.org"


@pytest.fixture(scope="module")
def settings(sessions: sessionmaker[Session]) -> Iterator[Settings]:
    with session_scope(sessions) as session:
        add_staff(session, email=MANAGER, role="manager", manager_id="m-02", password=PASSWORD)
    yield Settings(
        secret_key="audit-test-secret-0123456789",
        database_url=str(sessions.kw["bind"].url.render_as_string(hide_password=False)),
        broker_url="redis://127.0.0.1:9/0",  # never connected: changes go to the outbox
    )


def _entries(sessions: sessionmaker[Session], **where: object) -> list[AuditRow]:
    with sessions() as session:
        query = select(AuditRow).order_by(AuditRow.id)
        for column, value in where.items():
            query = query.where(getattr(AuditRow, column) == value)
        return list(session.scalars(query))


def _staff_id(sessions: sessionmaker[Session], email: str) -> int:
    with sessions() as session:
        found = session.scalar(select(StaffRow.id).where(StaffRow.email == email))
        assert found is not None
        return int(found)


def _last_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)


def test_reads_and_changes_are_one_entry_each_and_refusals_none(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    reference = new_case(sessions, manager_id="m-02", status="assigned")
    with session_scope(sessions) as session:
        token = create_api_token(session, manager_id="m-02")
    staff_id = _staff_id(sessions, MANAGER)
    before = _last_id(sessions)
    current = consent.current_version()

    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get("/staff/sign-in")
        signed = await client.post(
            "/staff/sign-in",
            data={"csrf_token": form_token(page.text), "email": MANAGER, "password": PASSWORD},
        )
        assert signed.status_code == 303
        shown = await client.get(f"/cases/{reference}")
        assert shown.status_code == 200
        csrf = form_token(shown.text)
        stale = await client.post(
            f"/cases/{reference}/accept", data={"csrf_token": csrf, "version": "99"}
        )
        assert stale.status_code == 409  # refused: no change entry (the page shown is a read)
        done = await client.post(
            f"/cases/{reference}/accept", data={"csrf_token": csrf, "version": "1"}
        )
        assert done.status_code == 303
        tool = {"Authorization": f"Bearer {token}"}
        read = await client.get(f"/api/v1/cases/{reference}", headers=tool)
        assert read.status_code == 200
        shown = read.json()  # the consents as recorded: the API named no language
        assert shown["consent"]["given"] and shown["consent"]["version"] == current
        assert shown["referral_consent"]["at"] == shown["consent"]["at"] is not None
        assert shown["anonymised_at"] is None
        note = await client.post(
            f"/api/v1/cases/{reference}/notes", json={"text": "Ring back Tuesday"}, headers=tool
        )
        assert note.status_code == 201

    run_app(settings, steps, create_app)
    entries = [e for e in _entries(sessions) if e.id > before]
    assert [(e.action, e.actor, e.via) for e in entries] == [
        ("sign_in", "staff", "page"),
        ("case_read", "staff", "page"),
        ("case_read", "staff", "page"),  # the refused change shows the case again
        ("case_changed", "staff", "page"),
        ("case_read", "token", "api"),
        ("case_changed", "token", "api"),
    ]
    about_case = entries[1:]
    assert {e.enquiry_id for e in about_case} == {about_case[0].enquiry_id} != {None}
    assert all(e.staff_id == staff_id for e in entries)
    assert all(e.manager_id == "m-02" for e in about_case)
    assert [e.details for e in entries if e.action == "case_changed"] == [
        {"done": "accepted"},
        {"done": "note_added"},
    ]
    assert "Ring back" not in json.dumps([e.details for e in entries])


def test_sign_ins_that_fail_are_kept_without_what_was_typed(
    sessions: sessionmaker[Session], settings: Settings
) -> None:
    before = _last_id(sessions)
    typed = f"nobody.{uuid.uuid4().hex[:8]}@example.net"

    async def steps(client: httpx.AsyncClient) -> None:
        for email, password in ((MANAGER, "not the password at all"), (typed, PASSWORD)):
            page = await client.get("/staff/sign-in")
            answer = await client.post(
                "/staff/sign-in",
                data={"csrf_token": form_token(page.text), "email": email, "password": password},
            )
            assert answer.status_code == 401

    run_app(settings, steps, create_app)
    entries = [e for e in _entries(sessions, action="sign_in_failed") if e.id > before]
    assert [(e.staff_id, e.details) for e in entries] == [
        (_staff_id(sessions, MANAGER), {"why": "refused"}),
        (None, {"why": "unknown_account"}),
    ]
    with sessions() as session:
        dump = session.execute(text("SELECT * FROM audit_log")).all()
    assert typed not in repr(dump) and MANAGER not in repr(dump)


def test_the_log_is_append_only_and_takes_codes_only(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as session:
        audit.record(session.connection(), action="export", actor=audit.CLI, details={"n": 1})
    with pytest.raises(DBAPIError, match="append-only"), session_scope(sessions) as session:
        session.execute(update(AuditRow).values(action="case_read"))
    for free_text in ("Ana Gómez", "ana@example.net", "line\nbreak", "x" * 65):
        with pytest.raises(audit.NotACodeError):
            audit.checked({"reason": free_text})
        with pytest.raises(audit.NotACodeError):
            audit.checked({"ids": [1, free_text]})
    assert audit.checked({"cases": [1, 2], "reason": "request", "dry": False}) == {
        "cases": [1, 2],
        "reason": "request",
        "dry": False,
    }
