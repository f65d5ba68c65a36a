"""Every staff route, for anonymous, a manager of each site and an administrator: who gets
what, and that nothing of a case another site's manager may not see ever reaches them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff
from shared.db.engine import session_scope
from shared.settings import Settings
from tests.support.cases import new_case
from tests.support.desk import PASSWORD, form_token
from tests.support.inprocess import run_app
from welcomedesk.web import create_app

ACCOUNTS = {
    "manager_a": ("a.manager@example.org", "manager", "m-01"),  # braunschweig
    "manager_b": ("b.manager@example.org", "manager", "m-03"),  # wolfsburg
    "admin": ("the.admin@example.org", "admin", None),
}


@dataclass(frozen=True)
class Cases:
    a: str  # m-01's case
    a_triage: str  # braunschweig's triage queue
    b: str  # m-03's case
    b_triage: str  # wolfsburg's triage queue
    b_marker: str  # in both of site B's cases


@pytest.fixture(scope="module")
def world(
    sessions: sessionmaker[Session], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Settings, Cases]]:
    with session_scope(sessions) as session:
        for email, role, manager_id in ACCOUNTS.values():
            add_staff(session, email=email, role=role, manager_id=manager_id, password=PASSWORD)
    marker = f"SECRET-B-{uuid.uuid4().hex[:10]}"
    cases = Cases(
        a=new_case(sessions, manager_id="m-01", status="assigned", site="braunschweig"),
        a_triage=new_case(sessions, manager_id=None, status="triage", site="braunschweig"),
        b=new_case(
            sessions,
            manager_id="m-03",
            status="assigned",
            site="wolfsburg",
            name=f"Name {marker}",
            message=f"About {marker}: a German course",
        ),
        b_triage=new_case(
            sessions, manager_id=None, status="triage", site="wolfsburg", subject=f"S {marker}"
        ),
        b_marker=marker,
    )
    settings = Settings(
        secret_key="matrix-test-secret-0123456789",
        database_url=str(sessions.kw["bind"].url.render_as_string(hide_password=False)),
        broker_url="redis://127.0.0.1:9/0",  # never connected: changes go to the outbox
    )
    yield settings, cases


async def _sign_in(client: httpx.AsyncClient, email: str) -> str:
    page = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"csrf_token": form_token(page.text), "email": email, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    return str(me.json()["csrf_token"])


def _reads(reference: str) -> list[str]:
    return [
        f"/cases/{reference}",
        f"/cases/{reference}/attachments/1",
        f"/api/v1/cases/{reference}",
    ]


def _lists(marker: str) -> list[str]:
    return [
        "/cases",
        "/cases?view=triage",
        "/cases?view=all",
        f"/cases?view=all&q={marker}",
        "/api/v1/cases?view=mine",
        "/api/v1/cases?view=triage",
        "/api/v1/cases?view=all",
        f"/api/v1/cases?view=all&q={marker}",
    ]


CHANGES = ("accept", "take", "reopen", "reassign", "referrals", "notes", "close")


def _change_body(action: str) -> dict[str, object]:
    bodies: dict[str, dict[str, object]] = {
        "reassign": {"manager_id": "m-02", "version": 999},
        "referrals": {"partner_id": "p-01", "version": 999},
        "notes": {"text": "x"},
        "close": {"outcome": "advised", "version": 999},
    }
    return bodies.get(action, {"version": 999})


async def _changes(client: httpx.AsyncClient, reference: str, csrf: str) -> list[httpx.Response]:
    answers = []
    for action in CHANGES:
        answers.append(
            await client.post(
                f"/api/v1/cases/{reference}/{action}",
                json=_change_body(action),
                headers={"X-CSRF-Token": csrf},
            )
        )
        if action != "notes":  # a note is no state change; the page form is the same service
            answers.append(
                await client.post(
                    f"/cases/{reference}/{action}",
                    data={"csrf_token": csrf, "version": "999", "outcome": "advised"},
                )
            )
    return answers


def test_anonymous_is_sent_to_sign_in_or_refused(world: tuple[Settings, Cases]) -> None:
    settings, cases = world

    async def steps(client: httpx.AsyncClient) -> None:
        for path in [*_reads(cases.a), *_lists("x")]:
            answer = await client.get(path)
            if path.startswith("/api/"):
                assert answer.status_code == 401, path
            else:
                assert answer.status_code == 303, path
                assert answer.headers["location"].startswith("/staff/sign-in?next=")
        for action in CHANGES:
            answer = await client.post(f"/api/v1/cases/{cases.a}/{action}", json={})
            assert answer.status_code == 401, action
            page = await client.post(f"/cases/{cases.a}/{action}", data={"version": "1"})
            assert page.status_code == 303, action

    run_app(settings, steps, create_app)


def test_a_manager_sees_nothing_of_the_other_site(world: tuple[Settings, Cases]) -> None:
    settings, cases = world

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await _sign_in(client, ACCOUNTS["manager_a"][0])
        seen: list[httpx.Response] = []
        for reference in (cases.b, cases.b_triage):
            for path in _reads(reference):
                answer = await client.get(path)
                assert answer.status_code == 404, path
                seen.append(answer)
            for answer in await _changes(client, reference, csrf):
                assert answer.status_code == 404, answer.request.url
                seen.append(answer)
        # Searched for by a part of the marker: the search box repeats what was asked.
        for path in _lists(cases.b_marker[:-2]):
            answer = await client.get(path)
            assert answer.status_code == 200, path
            seen.append(answer)
        own = await client.get(f"/cases/{cases.a}")
        triage = await client.get("/cases?view=triage")
        assert own.status_code == 200 and cases.a in own.text
        assert cases.a_triage in triage.text and cases.b_triage not in triage.text
        for answer in seen:
            assert cases.b_marker not in answer.text, answer.request.url
            if cases.b not in str(answer.request.url):  # a 404 may repeat what was asked
                assert cases.b not in answer.text, answer.request.url

    run_app(settings, steps, create_app)


def test_a_manager_of_the_site_sees_its_triage_and_own_cases(world: tuple[Settings, Cases]) -> None:
    settings, cases = world

    async def steps(client: httpx.AsyncClient) -> None:
        await _sign_in(client, ACCOUNTS["manager_b"][0])
        for reference in (cases.b, cases.b_triage):
            for path in (f"/cases/{reference}", f"/api/v1/cases/{reference}"):
                answer = await client.get(path)
                assert answer.status_code == 200, path
                assert cases.b_marker in answer.text
        for reference in (cases.a, cases.a_triage):
            assert (await client.get(f"/api/v1/cases/{reference}")).status_code == 404
        listed = (await client.get(f"/api/v1/cases?view=all&q={cases.b_marker}")).json()
        assert {c["reference"] for c in listed["items"]} == {cases.b, cases.b_triage}

    run_app(settings, steps, create_app)


def test_an_administrator_sees_everything_and_stale_changes_are_409(
    world: tuple[Settings, Cases],
) -> None:
    settings, cases = world

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await _sign_in(client, ACCOUNTS["admin"][0])
        for reference in (cases.a, cases.a_triage, cases.b, cases.b_triage):
            for path in (f"/cases/{reference}", f"/api/v1/cases/{reference}"):
                assert (await client.get(path)).status_code == 200, path
        stale = await client.post(
            f"/api/v1/cases/{cases.b}/accept", json={"version": 999}, headers={"X-CSRF-Token": csrf}
        )
        assert stale.status_code == 409
        assert "changed by someone else" in stale.json()["detail"]
        page = await client.post(
            f"/cases/{cases.b}/accept", data={"csrf_token": csrf, "version": "999"}
        )
        assert page.status_code == 409
        # The administrator's pages are German: the same message, in their language.
        assert "Jemand anderes hat" in page.text and 'role="alert"' in page.text
        listed = (await client.get(f"/api/v1/cases?view=all&q={cases.b_marker}")).json()
        assert listed["total"] == 2

    run_app(settings, steps, create_app)


def test_bad_input_gets_a_clear_answer(world: tuple[Settings, Cases]) -> None:
    settings, cases = world

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await _sign_in(client, ACCOUNTS["manager_a"][0])
        headers = {"X-CSRF-Token": csrf}
        unknown = await client.get("/api/v1/cases/WC-2026-999999")
        assert unknown.status_code == 404
        nul = await client.get("/api/v1/cases/WC%00X")
        assert nul.status_code == 400  # refused before any route: a NUL is never a reference
        outcome = await client.post(
            f"/api/v1/cases/{cases.a}/close",
            json={"outcome": "solved", "version": 1},
            headers=headers,
        )
        assert outcome.status_code == 422
        assert outcome.json()["detail"][0]["loc"][-1] == "outcome"
        extra = await client.post(
            f"/api/v1/cases/{cases.a}/accept", json={"version": 1, "colour": "red"}, headers=headers
        )
        assert extra.status_code == 422 and "colour" in extra.text
        missing = await client.post(f"/api/v1/cases/{cases.a}/accept", json={}, headers=headers)
        assert missing.status_code == 428 and "version" in missing.json()["detail"]
        bad_tag = await client.post(
            f"/api/v1/cases/{cases.a}/accept", headers={**headers, "If-Match": "soon"}
        )
        assert bad_tag.status_code == 422
        no_csrf = await client.post(f"/api/v1/cases/{cases.a}/accept", json={"version": 1})
        assert no_csrf.status_code == 400
        forged = await client.post(
            f"/cases/{cases.a}/accept", data={"csrf_token": "forged", "version": "1"}
        )
        assert forged.status_code == 400
        filtered = await client.get("/api/v1/cases?topic=cooking")
        assert filtered.status_code == 422 and filtered.json()["detail"][0]["loc"] == [
            "query",
            "topic",
        ]
        token = await client.get("/api/v1/cases", headers={"Authorization": "Token abc"})
        assert token.status_code == 401
        # Accepting with If-Match works like the body's version.
        done = await client.post(
            f"/api/v1/cases/{cases.a}/accept", headers={**headers, "If-Match": '"1"'}
        )
        assert done.status_code == 200 and done.json()["status"] == "accepted"
        assert done.headers["etag"] == '"2"'

    run_app(settings, steps, create_app)
