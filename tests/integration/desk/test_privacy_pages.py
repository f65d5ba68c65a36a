"""The administrators' privacy pages as a browser uses them: a data request found,
exported as a ZIP and erased; the audit log read and filtered. Nobody else sees them."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import add_staff
from shared.db.engine import session_scope
from shared.settings import Settings
from tests.support.desk import PASSWORD, form_token
from tests.support.inprocess import run_app
from tests.support.person import WHERES, leave_traces
from tests.support.traces import Markers, new_markers
from welcomedesk.web import create_app

ADMIN = "privacy.admin@example.org"
MANAGER = "privacy.manager@example.org"


@pytest.fixture(scope="module")
def world(sessions: sessionmaker[Session]) -> Iterator[tuple[Settings, Markers]]:
    with session_scope(sessions) as session:
        add_staff(session, email=ADMIN, role="admin", password=PASSWORD)
        add_staff(session, email=MANAGER, role="manager", manager_id="m-04", password=PASSWORD)
    markers = new_markers()
    leave_traces(sessions, markers)
    yield (
        Settings(
            secret_key="privacy-pages-secret-0123456789",
            database_url=str(sessions.kw["bind"].url.render_as_string(hide_password=False)),
            broker_url="redis://127.0.0.1:9/0",  # never connected
        ),
        markers,
    )


async def _sign_in(client: httpx.AsyncClient, email: str) -> str:
    page = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"csrf_token": form_token(page.text), "email": email, "password": PASSWORD},
    )
    assert answer.status_code == 303
    return form_token((await client.get("/cases")).text)


def test_only_administrators_see_the_privacy_pages(world: tuple[Settings, Markers]) -> None:
    settings, markers = world
    email = f"ana.{markers.ascii}@example.net"

    async def steps(client: httpx.AsyncClient) -> None:
        for path in ("/staff/privacy", "/staff/audit"):
            assert (await client.get(path)).status_code == 303  # to sign in
        csrf = await _sign_in(client, MANAGER)
        assert "/staff/privacy" not in (await client.get("/cases")).text
        for path in ("/staff/privacy", "/staff/audit"):
            assert (await client.get(path)).status_code == 404
        for action in ("find", "export", "erase"):
            answer = await client.post(
                f"/staff/privacy/{action}",
                data={"csrf_token": csrf, "email": email, "reason": "request", "confirm": "yes"},
            )
            assert answer.status_code == 404 and markers.ascii not in answer.text

    run_app(settings, steps, create_app)


def test_an_administrator_answers_a_data_request(world: tuple[Settings, Markers]) -> None:
    settings, markers = world
    email = f"Ana.{markers.ascii}@example.net"

    async def steps(client: httpx.AsyncClient) -> None:
        csrf = await _sign_in(client, ADMIN)
        page = await client.get("/staff/privacy")
        assert page.status_code == 200 and 'action="/staff/privacy/find"' in page.text
        forged = await client.post("/staff/privacy/find", data={"email": email})
        assert forged.status_code == 400
        wrong = await client.post(
            "/staff/privacy/find", data={"csrf_token": csrf, "email": "ana(at)example.net"}
        )
        assert wrong.status_code == 400 and 'role="alert"' in wrong.text
        found = await client.post("/staff/privacy/find", data={"csrf_token": csrf, "email": email})
        assert found.status_code == 200 and "Export herunterladen" in found.text  # German account
        exported = await client.post(
            "/staff/privacy/export", data={"csrf_token": csrf, "email": email}
        )
        assert exported.status_code == 200
        assert exported.headers["content-type"] == "application/zip"
        zipped = zipfile.ZipFile(io.BytesIO(exported.content))
        names = zipped.namelist()
        assert {"export.json", "export.html"} <= set(names)
        data = json.loads(zipped.read("export.json"))
        text = json.dumps(data, ensure_ascii=False)
        assert all(markers.text(w) in text for w in ("name", "message", "note", "reply"))
        refused = await client.post(
            "/staff/privacy/erase", data={"csrf_token": csrf, "email": email, "reason": "request"}
        )
        assert refused.status_code == 400  # not confirmed
        erased = await client.post(
            "/staff/privacy/erase",
            data={"csrf_token": csrf, "email": email, "reason": "request", "confirm": "yes"},
        )
        assert erased.status_code == 200 and 'role="status"' in erased.text
        reference = data["cases"][0]["reference"]
        assert reference in found.text
        case = await client.get(f"/cases/{reference}")
        assert markers.ascii not in case.text and markers.text("message") not in case.text
        log = await client.get("/staff/audit", params={"case": reference})
        assert log.status_code == 200
        for action in (
            "hat die Daten gelöscht",
            "hat die Daten exportiert",
            "hat den Fall angesehen",
        ):
            assert action in log.text
        assert markers.ascii not in log.text
        assert (await client.get("/staff/audit", params={"case": "WC-1999-1"})).status_code == 400
        again = await client.post("/staff/privacy/find", data={"csrf_token": csrf, "email": email})
        assert all(markers.text(w) not in again.text for w in WHERES)

    run_app(settings, steps, create_app)
