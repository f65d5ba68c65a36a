"""Every administrators' route, for someone not signed in, a manager and an administrator:
only administrators get in (a manager gets 403), every form needs its CSRF token, and a
refused request changes nothing."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import ManagerRow, ReplyTemplateRow, StaffRow
from shared.directory.store import directory_version
from shared.settings import Settings
from tests.support.admin import desk_with_accounts, sign_in
from tests.support.inprocess import run_app
from welcomedesk.web import create_app

ADMIN = "access.admin@example.org"
MANAGER = "access.manager@example.org"
OTHER = "access.other@example.org"


@pytest.fixture(scope="module")
def settings(sessions: sessionmaker[Session]) -> Settings:
    return desk_with_accounts(
        sessions, [(ADMIN, "admin", None), (MANAGER, "manager", "m-02"), (OTHER, "manager", "m-04")]
    )


def _other_id(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        found = session.scalar(select(StaffRow.id).where(StaffRow.email == OTHER))
        assert found is not None
        return found


READS = [
    "/admin",
    "/admin/templates",
    "/admin/templates/new",
    "/admin/templates/eu_blue_card/edit",
    "/admin/directory",
    "/admin/directory/export",
    "/admin/directory/sites/new",
    "/admin/directory/sites/wolfsburg/edit",
    "/admin/directory/managers/new",
    "/admin/directory/managers/m-01/edit",
    "/admin/directory/partners/new",
    "/admin/directory/partners/p-01/edit",
    "/admin/staff",
]


def _changes(other: int) -> list[tuple[str, dict[str, str]]]:
    """Each change with a form that would be accepted from an administrator."""
    manager = {
        "name": "Karim Haddad",
        "email": "karim@example.org",
        "site": "braunschweig",
        "languages": "de, en, ar, fr",
        "capacity": "1",
        "active": "on",
    }
    return [
        ("/admin/templates", {"key": "access_probe", "de.title": "T", "de.text": "Hallo {name}"}),
        ("/admin/templates/eu_blue_card", {"de.title": "T", "de.text": "Hallo {name}"}),
        ("/admin/templates/eu_blue_card/delete", {}),
        ("/admin/directory/managers/m-02", manager),
        ("/admin/directory/managers", {**manager, "id": "m-99"}),
        ("/admin/directory/sites/wolfsburg", {"name": "WOB", "team_email": "w@example.org"}),
        ("/admin/directory/partners/p-01", {"name": "P", "email": "p@example.org"}),
        ("/admin/staff", {"email": "probe@example.org", "role": "admin"}),
        (f"/admin/staff/{other}/disable", {}),
        (f"/admin/staff/{other}/role", {"role": "admin"}),
    ]


def _state(sessions: sessionmaker[Session]) -> tuple[object, ...]:
    """What any of the changes would alter."""
    with sessions() as session:
        return (
            directory_version(session),
            session.scalar(select(func.count()).select_from(ReplyTemplateRow)),
            session.scalar(
                select(ReplyTemplateRow.variants).where(ReplyTemplateRow.key == "eu_blue_card")
            ),
            session.scalar(select(ManagerRow.capacity).where(ManagerRow.id == "m-02")),
            session.scalar(select(func.count()).select_from(StaffRow)),
            tuple(session.execute(select(StaffRow.email, StaffRow.role, StaffRow.active))),
        )


def test_someone_not_signed_in_is_sent_to_sign_in(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        before = _state(sessions)
        for path in [*READS, "/me"]:
            answer = await client.get(path)
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/staff/sign-in?next="), path
        for path, form in [*_changes(_other_id(sessions)), ("/me/absences", {})]:
            answer = await client.post(path, data=form)
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("/staff/sign-in"), path
        assert _state(sessions) == before

    run_app(settings, steps, create_app)


def test_a_manager_gets_403_on_every_administrators_route_and_changes_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, MANAGER)
        before = _state(sessions)
        for path in READS:
            answer = await client.get(path)
            assert answer.status_code == 403, path
            assert "For administrators only" in answer.text
            # Nothing of the template or the directory; the language link repeats the path asked.
            shown = answer.text.replace(path, "")
            assert "eu_blue_card" not in shown and "team-bs@" not in shown, path
        for path, form in _changes(_other_id(sessions)):
            answer = await client.post(path, data={"csrf_token": csrf, **form})
            assert answer.status_code == 403, path
        assert _state(sessions) == before
        nav = (await client.get("/cases")).text
        assert 'href="/me"' in nav and 'href="/admin/' not in nav
        assert (await client.get("/me")).status_code == 200

    run_app(settings, steps, create_app)


def test_an_administrator_gets_every_page_and_every_form_needs_its_token(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        for path in READS:
            answer = await client.get(path, follow_redirects=True)
            assert answer.status_code == 200, path
        nav = (await client.get("/cases")).text
        for link in ("/admin/directory", "/admin/templates", "/admin/staff"):
            assert f'href="{link}"' in nav
        before = _state(sessions)
        for path, form in _changes(_other_id(sessions)):
            for token in (None, "forged", csrf[:-1]):
                sent = form if token is None else {"csrf_token": token, **form}
                answer = await client.post(path, data=sent)
                assert answer.status_code == 400, path
                assert "security token" in answer.text
        assert _state(sessions) == before
        me = await client.post("/me/absences", data={"absences.0.from": "2030-01-01"})
        assert me.status_code == 400

    run_app(settings, steps, create_app)


def test_what_no_entry_can_be_is_refused_without_an_error(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    """A NUL (refused before any route: 400), an overlong key or a number beyond the column
    (404 or 422): never 500."""

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        before = _state(sessions)
        assert (await client.get("/admin/templates/a%00b/edit")).status_code == 400
        assert (await client.get(f"/admin/templates/{'k' * 300}/edit")).status_code == 404
        for path in ("/admin/templates/a%00b/delete", "/admin/templates/a%00b"):
            answer = await client.post(
                path, data={"csrf_token": csrf, "de.title": "T", "de.text": "x"}
            )
            assert answer.status_code == 400, path
        assert (await client.get("/admin/directory/managers/m%0001/edit")).status_code == 400
        for manager in ("m\x00-01", "m" * 300):
            added = await client.post(
                "/admin/staff",
                data={
                    "csrf_token": csrf,
                    "email": "nul@example.org",
                    "role": "manager",
                    "manager": manager,
                },
            )
            assert added.status_code == 422, manager
        other = _other_id(sessions)
        role = await client.post(
            f"/admin/staff/{other}/role",
            data={"csrf_token": csrf, "role": "manager", "manager": "m\x00"},
        )
        assert role.status_code == 422
        assert (
            await client.post("/admin/staff/0/disable", data={"csrf_token": csrf})
        ).status_code == 422
        assert _state(sessions) == before

    run_app(settings, steps, create_app)
