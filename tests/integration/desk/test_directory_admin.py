"""The directory, staff accounts and absences kept in the desk, on PostgreSQL: each change
checked by the directory's rules (a wrong field named beside it, nothing saved), written
with a new directory version that routing and `welcomedesk directory export` see, and
traced (who, when) without personal data."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs

from services.desk.accounts import add_staff
from services.desk.admin.directory import save_entry
from services.desk.admin.errors import InvalidEntryError
from services.routing.policy import Staffing
from shared.db.engine import session_scope
from shared.db.models import AuditRow, ManagerRow, PartnerRow, SiteRow, StaffRow
from shared.directory.store import directory_version, read_directory
from shared.settings import Settings
from tests.support.admin import desk_with_accounts, field_errors, sign_in
from tests.support.cases import ADMIN as ADMIN_STAFF
from tests.support.cases import new_case
from tests.support.desk import PASSWORD
from tests.support.inprocess import run_app
from tests.support.system import System
from welcomedesk.web import create_app

ADMIN = "directory.admin@example.org"
KARIM = "directory.karim@example.org"  # m-02, Braunschweig
LINK = re.compile(r'class="secret one-time-link">[^<]*/staff/password/([\w-]+)<')


@pytest.fixture(scope="module")
def settings(sessions: sessionmaker[Session]) -> Settings:
    return desk_with_accounts(sessions, [(ADMIN, "admin", None), (KARIM, "manager", "m-02")])


def _version(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return int(directory_version(session))


def _row(sessions: sessionmaker[Session], table: Any, key: str) -> Any:
    with sessions() as session:
        row = session.get(table, key)
        assert row is not None
        session.expunge(row)
        return row


def _manager_form(**changes: str) -> dict[str, str]:
    form = {
        "name": "Lucía Fernández",
        "email": "lucia.fernandez@example.org",
        "site": "braunschweig",
        "languages": "de, en, es, pt",
        "topics": "recognition",
        "capacity": "20",
        "active": "on",
    }
    form.update(changes)
    return form


def _export(settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """What `welcomedesk directory export` writes, run as the command it is."""
    env = {
        "WELCOMEDESK_DATABASE_URL": settings.database_url,
        "WELCOMEDESK_SECRET_KEY": settings.secret_key,
    }
    done = System(env=env, workdir=tmp_path).cli("directory", "export")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = yaml.safe_load(done.stdout)
    return data


def test_a_capacity_and_an_absence_changed_in_the_desk_reach_routing_and_the_export(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    before = _version(sessions)
    today = dt.date.today()
    start, end = today + dt.timedelta(days=3), today + dt.timedelta(days=10)

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        form = _manager_form(capacity="5")
        form |= {"absences.0.from": start.isoformat(), "absences.0.to": end.isoformat()}
        answer = await client.post(
            "/admin/directory/managers/m-01", data={"csrf_token": csrf, **form}
        )
        assert answer.status_code == 303, answer.text
        overview = await client.get(answer.headers["location"])
        row = re.search(r'<tr id="manager-m-01"[^>]*>(.*?)</tr>', overview.text, re.S)
        assert row is not None and "0 / 5" in row.group(1)
        assert f"{start.isoformat()} – {end.isoformat()}" in row.group(1)

    with capture_logs() as logs:
        run_app(settings, steps, create_app)
    manager = _row(sessions, ManagerRow, "m-01")
    assert manager.capacity == 5
    assert manager.absences == [{"from": start.isoformat(), "to": end.isoformat()}]
    assert _version(sessions) == before + 1
    exported = next(m for m in _export(settings, tmp_path)["managers"] if m["id"] == "m-01")
    assert exported["capacity"] == 5
    assert exported["absences"] == [{"from": start.isoformat(), "to": end.isoformat()}]
    with sessions() as session:
        staffing = Staffing(read_directory(session).managers, start + dt.timedelta(days=1))
    assert staffing.away["m-01"] == f"absent until {end.isoformat()}"
    traced = [e for e in logs if e["event"] == "directory_changed"]
    assert traced == [
        {
            "event": "directory_changed",
            "log_level": "info",
            "section": "managers",
            "entry": "m-01",
            "created": False,
            "staff_id": traced[0]["staff_id"],
        }
    ]
    assert isinstance(traced[0]["staff_id"], int)
    # The audit log keeps who changed which entry, not what it now holds.
    assert _audited(sessions, "directory_changed")[-1] == (
        traced[0]["staff_id"],
        {"section": "managers", "entry": "m-01", "done": "changed"},
    )


def _audited(sessions: sessionmaker[Session], action: str) -> list[tuple[int | None, object]]:
    with sessions() as session:
        rows = session.execute(
            select(AuditRow.staff_id, AuditRow.details)
            .where(AuditRow.action == action)
            .order_by(AuditRow.id)
        )
        return [(staff_id, details) for staff_id, details in rows]


def test_an_invalid_edit_names_each_field_and_saves_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    before = (_version(sessions), _row(sessions, ManagerRow, "m-02").__dict__.copy())

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        form = _manager_form(
            name="Karim Haddad",
            email="karim-at-example.org",
            languages="de, xx",
            capacity="-1",
        )
        form |= {"absences.0.from": "2027-01-10", "absences.0.to": "2027-01-01"}
        answer = await client.post(
            "/admin/directory/managers/m-02", data={"csrf_token": csrf, **form}
        )
        assert answer.status_code == 422
        said = field_errors(answer.text)
        assert set(said) == {"email", "languages", "capacity", "absences-0"}
        assert "'xx' is not an ISO 639-1 language code" in said["languages"]
        assert "greater than or equal to 0" in said["capacity"]
        assert "before it starts" in said["absences-0"]
        assert 'value="de, xx"' in answer.text  # what was typed stays in the form
        assert 'href="#f-capacity">Capacity: ' in answer.text  # the summary names the field

        site = await client.post(
            "/admin/directory/sites/braunschweig",
            data={
                "csrf_token": csrf,
                "name": "Welcome Center\r\nBcc: someone@example.net",
                "team_email": "team-bs@example.org",
                "districts": ["braunschweig", "wolfsburg"],
            },
        )
        assert site.status_code == 422
        said = field_errors(site.text)
        assert "already served by site 'wolfsburg'" in said["districts"]
        assert "one line of text" in said["name"]

        twin = await client.post(
            "/admin/directory/managers", data={"csrf_token": csrf, "id": "m-02", **_manager_form()}
        )
        assert twin.status_code == 422 and "duplicate id 'm-02'" in field_errors(twin.text)["id"]
        partner = await client.post(
            "/admin/directory/partners",
            data={"csrf_token": csrf, "id": "p-new", "name": "X", "email": "x@example.org"},
        )
        assert partner.status_code == 422
        assert set(field_errors(partner.text)) == {"topics", "target_groups"}
        unknown = await client.post(
            "/admin/directory/managers/m-77", data={"csrf_token": csrf, **_manager_form()}
        )
        assert unknown.status_code == 404
        section = await client.post("/admin/directory/rooms", data={"csrf_token": csrf})
        assert section.status_code == 404

    run_app(settings, steps, create_app)
    assert _version(sessions) == before[0]
    after = _row(sessions, ManagerRow, "m-02").__dict__
    assert {k: v for k, v in after.items() if not k.startswith("_")} == {
        k: v for k, v in before[1].items() if not k.startswith("_")
    }
    assert _row(sessions, SiteRow, "braunschweig").name == "Welcome Center Braunschweig"
    with sessions() as session:
        assert session.get(PartnerRow, "p-new") is None


def test_sites_and_partners_are_made_and_changed(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        made = await client.post(
            "/admin/directory/partners",
            data={
                "csrf_token": csrf,
                "id": "p-kita",
                "name": "Kita-Servicebüro Wolfsburg",
                "email": "kita@example.org",
                "topics": ["living"],
                "target_groups": ["worker"],
                "languages": "de en",
                "districts": ["wolfsburg"],
                "auto_refer": "on",
            },
        )
        assert made.status_code == 303, made.text
        site = await client.post(
            "/admin/directory/sites/wolfsburg",
            data={
                "csrf_token": csrf,
                "name": "Welcome Center Wolfsburg (Rathaus)",
                "team_email": "team-wob@example.org",
                "districts": ["wolfsburg", "gifhorn", "helmstedt"],
            },
        )
        assert site.status_code == 303, site.text
        download = await client.get("/admin/directory/export")
        assert download.headers["content-type"].startswith("application/yaml")
        assert "Kita-Servicebüro Wolfsburg" in download.text

    run_app(settings, steps, create_app)
    partner = _row(sessions, PartnerRow, "p-kita")
    assert (partner.topics, partner.target_groups, partner.languages) == (
        ["living"],
        ["worker"],
        ["de", "en"],
    )
    assert partner.districts == ["wolfsburg"] and partner.auto_refer is True
    exported = _export(settings, tmp_path)
    wolfsburg = next(s for s in exported["sites"] if s["code"] == "wolfsburg")
    assert wolfsburg["name"] == "Welcome Center Wolfsburg (Rathaus)"
    assert any(p["id"] == "p-kita" for p in exported["partners"])


def test_accounts_are_added_with_a_one_time_link_disabled_and_given_a_role(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        added = await client.post(
            "/admin/staff",
            data={
                "csrf_token": csrf,
                "email": "Deniz.New@Example.org",
                "role": "manager",
                "manager": "m-04",
                "language": "en",
            },
        )
        assert added.status_code == 200, added.text
        link = LINK.search(added.text)
        assert link is not None
        assert added.headers["cache-control"] == "no-store"
        password_page = await client.get(f"/staff/password/{link.group(1)}")
        assert password_page.status_code == 200 and "deniz.new@example.org" in password_page.text
        listed = await client.get("/admin/staff")
        assert link.group(1) not in listed.text  # shown once, on the answer only

        twice = await client.post(
            "/admin/staff",
            data={"csrf_token": csrf, "email": "deniz.new@example.org", "role": "admin"},
        )
        assert (
            twice.status_code == 422
            and "has an account already" in field_errors(twice.text)["email"]
        )
        nameless = await client.post(
            "/admin/staff", data={"csrf_token": csrf, "email": "x@example.org", "role": "manager"}
        )
        assert nameless.status_code == 422 and "manager" in field_errors(nameless.text)

        with sessions() as session:
            karim = session.scalar(select(StaffRow.id).where(StaffRow.email == KARIM))
            me = session.scalar(select(StaffRow.id).where(StaffRow.email == ADMIN))
        promoted = await client.post(
            f"/admin/staff/{karim}/role",
            data={"csrf_token": csrf, "role": "admin", "manager": "m-02"},
        )
        assert promoted.status_code == 303
        refused = await client.post(
            f"/admin/staff/{karim}/role",
            data={"csrf_token": csrf, "role": "manager", "manager": ""},
        )
        assert refused.status_code == 422 and "names the directory" in refused.text
        own = await client.post(f"/admin/staff/{me}/disable", data={"csrf_token": csrf})
        assert own.status_code == 422 and "your own account" in own.text
        demote = await client.post(
            f"/admin/staff/{me}/role",
            data={"csrf_token": csrf, "role": "manager", "manager": "m-03"},
        )
        assert demote.status_code == 422
        huge = await client.post("/admin/staff/99999999999/disable", data={"csrf_token": csrf})
        assert huge.status_code == 422
        absent = await client.post("/admin/staff/999999/disable", data={"csrf_token": csrf})
        assert absent.status_code == 404

        await sign_in(client, KARIM)  # an administrator now, still m-02
        assert (await client.get("/admin/directory")).status_code == 200
        csrf = await sign_in(client, ADMIN)
        disabled = await client.post(f"/admin/staff/{karim}/disable", data={"csrf_token": csrf})
        assert disabled.status_code == 303

    run_app(settings, steps, create_app)
    with sessions() as session:
        rows = {r.email: r for r in session.scalars(select(StaffRow))}
    assert rows["deniz.new@example.org"].manager_id == "m-04"
    assert rows["deniz.new@example.org"].password_hash is None
    assert (rows[KARIM].role, rows[KARIM].active) == ("admin", False)
    assert (rows[ADMIN].role, rows[ADMIN].active) == ("admin", True)
    # Each change that was made, and none of those refused, is in the audit log.
    new, karim = rows["deniz.new@example.org"].id, rows[KARIM].id
    assert [details for _, details in _audited(sessions, "staff_account_changed")][-3:] == [
        {"account": new, "role": "manager", "done": "added"},
        {"account": karim, "role": "admin", "done": "role"},
        {"account": karim, "done": "disabled"},
    ]


def test_a_manager_keeps_their_own_absences_and_sees_their_load(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with session_scope(sessions) as session:
        add_staff(
            session,
            email="directory.oksana@example.org",
            role="manager",
            manager_id="m-03",
            password=PASSWORD,
        )
    new_case(sessions, manager_id="m-03", status="accepted", site="wolfsburg")
    before = _version(sessions)

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, "directory.oksana@example.org")
        page = await client.get("/me")
        assert "Open cases: 1 of your capacity of 20." in page.text
        bad = await client.post(
            "/me/absences",
            data={
                "csrf_token": csrf,
                "absences.0.from": "2027-03-01",
                "absences.1.from": "2027-04-09",
                "absences.1.to": "2027-04-01",
            },
        )
        assert bad.status_code == 422
        said = field_errors(bad.text)
        assert said["absences-0"] == "absences[0].to: required field is missing"
        assert "before it starts" in said["absences-1"]
        assert _version(sessions) == before
        good = await client.post(
            "/me/absences",
            data={
                "csrf_token": csrf,
                "absences.0.from": "2027-03-01",
                "absences.0.to": "2027-03-05",
                "absences.1.from": "",
                "absences.1.to": "",
            },
        )
        assert good.status_code == 303 and good.headers["location"] == "/me?done=saved"
        shown = await client.get("/me?done=saved")
        assert 'value="2027-03-05"' in shown.text

        await sign_in(client, ADMIN)
        admin_me = await client.get("/me")
        assert admin_me.status_code == 200 and "not a manager of the directory" in admin_me.text
        nothing = await client.post(
            "/me/absences", data={"csrf_token": await sign_in(client, ADMIN)}
        )
        assert nothing.status_code == 404

    run_app(settings, steps, create_app)
    assert _row(sessions, ManagerRow, "m-03").absences == [
        {"from": "2027-03-01", "to": "2027-03-05"}
    ]
    assert _version(sessions) == before + 1


def test_two_edits_at_once_run_one_after_the_other(sessions: sessionmaker[Session]) -> None:
    """Both sites reach for a district nobody serves: the second edit waits for the first,
    is checked against what the first saved, and is refused; never do two sites serve one
    district, and each saved edit has a version of its own."""

    def districts(site: str, *codes: str) -> Callable[[Session], str]:
        return lambda session: save_entry(
            session,
            staff=ADMIN_STAFF,
            section="sites",
            entry_id=site,
            values={"districts": list(codes)},
        )

    bs = ["braunschweig", "salzgitter", "wolfenbuettel", "peine"]
    with sessions.begin() as session:
        districts("braunschweig", *bs)(session)  # goslar is nobody's now
    before = _version(sessions)
    refused: list[InvalidEntryError] = []

    def second() -> None:
        try:
            with sessions.begin() as session:
                districts("braunschweig", *bs, "goslar")(session)
        except InvalidEntryError as exc:
            refused.append(exc)

    first = sessions()
    with first.begin():
        districts("wolfsburg", "wolfsburg", "gifhorn", "helmstedt", "goslar")(first)
        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=1.0)
        assert thread.is_alive()  # held by the first edit's transaction
    first.close()
    thread.join(timeout=15)
    assert not thread.is_alive()
    assert len(refused) == 1
    assert "already served by site 'wolfsburg'" in refused[0].fields["districts"]
    assert _row(sessions, SiteRow, "braunschweig").districts == bs
    assert _version(sessions) == before + 1


def test_a_sites_office_hours_and_closures_are_kept_in_the_desk(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    before = _row(sessions, SiteRow, "braunschweig")
    base = {"name": before.name, "team_email": before.team_email, "districts": before.districts}

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await sign_in(client, ADMIN)
        wrong = await client.post(
            "/admin/directory/sites/braunschweig",
            data={"csrf_token": csrf, **base, "hours.mon": "09:00-12:00, 11:30-14:00"},
        )
        assert wrong.status_code == 422
        said = " ".join(field_errors(wrong.text).values()) + wrong.text
        assert "overlap" in said
        done = await client.post(
            "/admin/directory/sites/braunschweig",
            data={
                "csrf_token": csrf,
                **base,
                "timezone": "Europe/Berlin",
                "hours.mon": "09:00-12:30, 13:30-16:00",
                "hours.thu": "09:00-18:00",
                "closures.0.from": "2026-12-24",
                "closures.0.to": "2026-12-31",
                "accept_within": "6,5",
            },
        )
        assert done.status_code == 303, done.text
        form = await client.get("/admin/directory/sites/braunschweig/edit")
        assert 'value="09:00-12:30, 13:30-16:00"' in form.text
        assert 'value="2026-12-24"' in form.text

    run_app(settings, steps, create_app)
    exported = _export(settings, tmp_path)
    site = next(s for s in exported["sites"] if s["code"] == "braunschweig")
    assert site["hours"] == {"mon": ["09:00-12:30", "13:30-16:00"], "thu": ["09:00-18:00"]}
    assert site["closures"] == [{"from": "2026-12-24", "to": "2026-12-31"}]
    assert site["accept_within"] == 6.5 and site.get("triage_within") is None
