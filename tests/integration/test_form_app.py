"""The form in the intake application, in-process: what it answers before any database work."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.inprocess import Steps, run_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def run_against_the_app(tmp_path: Path, steps: Steps) -> None:
    """Starts the app (its lifespan too) with a limit of two posts a minute, and runs steps."""
    database_url = f"sqlite:///{tmp_path}/intake.sqlite"
    upgrade(database_url)  # the app's metrics count enquiries at start-up
    settings = Settings(
        secret_key="unit-test-secret-0123456789",
        database_url=database_url,
        broker_url="redis://127.0.0.1:9/0",  # never connected: nothing here publishes
        rate_limit="2/minute",
    )
    run_app(settings, steps)


def test_the_rate_limit_gives_the_form_back_with_the_entries(tmp_path: Path) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get("/?lang=pl")
        found = TOKEN.search(page.text)
        assert page.status_code == 200 and found is not None
        fields = {"csrf_token": found.group(1), "lang": "pl", "name": "Anna", "message": ""}
        assert [(await client.post("/", data=fields)).status_code for _ in range(2)] == [400, 400]
        limited = await client.post("/", data=fields)
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert "Z Państwa połączenia w krótkim czasie wpłynęło wiele zapytań." in limited.text
        assert 'value="Anna"' in limited.text

    run_against_the_app(tmp_path, steps)


def test_pages_carry_their_security_headers(tmp_path: Path) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get("/")
        assert page.headers["content-security-policy"].startswith("default-src 'none'")
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["x-frame-options"] == "DENY"
        cookie = page.headers["set-cookie"]
        assert "wd_form=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie

    run_against_the_app(tmp_path, steps)
