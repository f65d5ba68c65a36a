"""The statistics API as an administrator, a manager (their own site only) and a stranger
see it: the figures as JSON and CSV, the cases as CSV, and a 422 that names the
parameter for every bad one."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff, create_api_token
from services.desk.statistics import service
from services.desk.statistics.service import statistics_csv
from shared.db.engine import session_scope
from shared.settings import Settings
from tests.support.desk import PASSWORD, form_token
from tests.support.inprocess import run_app
from tests.support.statistics import EXPECTED, write_year
from welcomedesk.web import create_app

ADMIN = "stats.admin@example.org"
PERIOD = {"from": "2026-11-01", "to": "2026-12-31"}


@pytest.fixture(scope="module")
def world(sessions: sessionmaker[Session]) -> Iterator[tuple[Settings, str]]:
    write_year(sessions)
    with session_scope(sessions) as session:
        add_staff(session, email=ADMIN, role="admin", manager_id=None, password=PASSWORD)
        token = create_api_token(session, manager_id="m-01")  # Braunschweig
    settings = Settings(
        secret_key="statistics-test-secret-0123456789",
        database_url=str(sessions.kw["bind"].url.render_as_string(hide_password=False)),
        broker_url="redis://127.0.0.1:9/0",  # never connected
    )
    yield settings, token


async def _admin(client: httpx.AsyncClient) -> None:
    page = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"csrf_token": form_token(page.text), "email": ADMIN, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text


def test_an_administrator_gets_every_site_as_json_and_as_csv(world: tuple[Settings, str]) -> None:
    settings, _ = world

    async def steps(client: httpx.AsyncClient) -> None:
        assert (await client.get("/api/v1/statistics", params=PERIOD)).status_code == 401
        await _admin(client)
        found = await client.get("/api/v1/statistics", params=PERIOD)
        assert found.status_code == 200, found.text
        assert found.json() == EXPECTED
        for url, params in (
            ("/api/v1/statistics.csv", PERIOD),
            ("/api/v1/statistics", {**PERIOD, "format": "csv"}),
        ):
            text = await client.get(url, params=params)
            assert text.headers["content-type"].startswith("text/csv")
            assert text.text == statistics_csv(EXPECTED)
            rows = list(csv.reader(io.StringIO(text.text)))
            assert ["persons", "", "4"] in rows and ["by_channel", "web", "4"] in rows
        cases = await client.get("/api/v1/statistics/cases.csv", params=PERIOD)
        assert cases.status_code == 200
        assert "attachment" in cases.headers["content-disposition"]
        lines = cases.text.splitlines()
        assert len(lines) == 8 and "@" not in cases.text
        wolfsburg = await client.get("/api/v1/statistics", params={**PERIOD, "site": "wolfsburg"})
        assert wolfsburg.json()["contacts"] == 3

    run_app(settings, steps, create_app)


def test_a_manager_sees_their_own_site_only(world: tuple[Settings, str]) -> None:
    settings, token = world

    async def steps(client: httpx.AsyncClient) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        own = await client.get("/api/v1/statistics", params=PERIOD, headers=headers)
        assert own.status_code == 200
        assert (own.json()["site"], own.json()["contacts"]) == ("braunschweig", 4)
        other = await client.get(
            "/api/v1/statistics", params={**PERIOD, "site": "wolfsburg"}, headers=headers
        )
        assert other.status_code == 403 and "own site" in other.json()["detail"]
        cases = await client.get(
            "/api/v1/statistics/cases.csv", params={**PERIOD, "site": "wolfsburg"}, headers=headers
        )
        assert cases.status_code == 403

    run_app(settings, steps, create_app)


@pytest.mark.parametrize(
    ("params", "parameter", "says"),
    [
        ({"from": "2026-12-31", "to": "2026-01-01"}, "from", "is after to"),
        ({"from": "31.12.2026"}, "from", "is not a date"),
        ({"to": "2026-02-30"}, "to", "is not a date"),
        ({"site": "hamburg"}, "site", "no site 'hamburg'"),
        ({"from": "1900-01-01", "to": "2026-01-01"}, "to", "at most twenty years"),
        ({"format": "xml"}, "format", ""),
    ],
)
def test_bad_parameters_are_422_naming_the_parameter(
    world: tuple[Settings, str], params: dict[str, str], parameter: str, says: str
) -> None:
    settings, token = world

    async def steps(client: httpx.AsyncClient) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        for url in ("/api/v1/statistics", "/api/v1/statistics/cases.csv"):
            if url.endswith("cases.csv") and parameter == "format":
                continue
            answer = await client.get(url, params=params, headers=headers)
            assert answer.status_code == 422, answer.text
            detail = answer.json()["detail"][0]
            assert detail["loc"] == ["query", parameter]
            assert says in detail["msg"]

    run_app(settings, steps, create_app)


def test_the_statistics_page_and_the_report_draw_the_figures(world: tuple[Settings, str]) -> None:
    settings, _ = world

    async def steps(client: httpx.AsyncClient) -> None:
        assert (await client.get("/statistics")).status_code == 303  # sign in first
        await _admin(client)
        shown = await client.get("/statistics", params={**PERIOD, "lang": "en"})
        assert shown.status_code == 200, shown.text
        html = shown.text
        assert html.count("<svg") == 9 and "<script" not in html
        assert "<title>By channel</title>" in html
        assert '<th scope="row">persons (distinct enquirers)</th><td>4</td>' in html
        assert "German courses" in html and "Wolfsburg" in html
        assert "/statistics/report?from=2026-11-01&amp;to=2026-12-31" in html
        # One click for the usual periods: the quarter so far, ending today.
        today = service.today()
        quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        link = f'<a href="/statistics?from={quarter}&amp;to={today}&amp;site=">This quarter</a>'
        assert link in html
        german = await client.get("/statistics", params={**PERIOD, "lang": "de"})
        assert "Kontakte nach Monat" in german.text and "Erstkontakte" in german.text
        assert ">Letztes Quartal</a>" in german.text
        report = await client.get("/statistics/report", params={**PERIOD, "site": "wolfsburg"})
        assert report.status_code == 200
        assert '<link rel="stylesheet" href="/desk-static/report.css">' in report.text
        assert "Welcome Center Wolfsburg" in report.text and "@" not in report.text
        css = await client.get("/desk-static/report.css")
        assert "@media print" in css.text and "@page" in css.text
        bad = await client.get("/statistics", params={"from": "2026-12-31", "to": "2026-01-01"})
        assert bad.status_code == 422 and "from: 2026-12-31 is after to" in bad.text

    run_app(settings, steps, create_app)


def test_a_managers_page_offers_their_site_and_refuses_another(
    world: tuple[Settings, str], sessions: sessionmaker[Session]
) -> None:
    settings, _ = world
    with session_scope(sessions) as session:
        add_staff(
            session,
            email="stats.m01@example.org",
            role="manager",
            manager_id="m-01",
            password=PASSWORD,
        )

    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get("/staff/sign-in")
        await client.post(
            "/staff/sign-in",
            data={
                "csrf_token": form_token(page.text),
                "email": "stats.m01@example.org",
                "password": PASSWORD,
            },
        )
        own = await client.get("/statistics", params={**PERIOD, "lang": "en"})
        assert own.status_code == 200
        assert "Welcome Center Braunschweig" in own.text and "all sites" not in own.text
        other = await client.get("/statistics", params={**PERIOD, "site": "wolfsburg"})
        assert other.status_code == 403 and "own site" in other.text

    run_app(settings, steps, create_app)
