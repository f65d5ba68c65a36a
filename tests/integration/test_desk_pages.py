"""The desk's pages in the web process, in-process on SQLite: a manager signs in, lists,
searches, opens and accepts their cases, and finds no one else's."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy import update

from services.desk.accounts import add_staff
from shared.db.engine import session_scope
from shared.db.models import EnquiryRow
from shared.settings import Settings
from tests.support.case_lists import add_cases
from tests.support.db import migrated, sqlite_url
from tests.support.desk import PASSWORD, form_token, page_version
from tests.support.inprocess import run_app
from welcomedesk.web import create_app

REFERENCE = re.compile(r'class="ref">(WC-\d{4}-\d{6})<')


def test_a_manager_works_through_their_cases(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with migrated(url) as sessions, session_scope(sessions) as session:
        cases = add_cases(session)
        add_staff(
            session, email="ana@example.org", role="manager", manager_id="m-01", password=PASSWORD
        )
    own = [c for c in cases if c.manager_id == "m-01"]
    assigned = next(c.reference for c in own if c.status == "assigned")
    elsewhere = next(c.reference for c in cases if c.manager_id == "m-03")
    with session_scope(sessions) as session:  # one manager not chosen, and why
        not_chosen = [{"manager": "m-02", "why": "at capacity (20/20)"}]
        session.execute(
            update(EnquiryRow).where(EnquiryRow.reference == assigned).values(excluded=not_chosen)
        )
    settings = Settings(
        secret_key="unit-test-secret-0123456789",
        database_url=url,
        broker_url="redis://127.0.0.1:9/0",  # never connected: nothing here publishes
    )

    async def steps(client: httpx.AsyncClient) -> None:
        form = await client.get("/staff/sign-in")
        fields = {"csrf_token": form_token(form.text), "email": "ana@example.org"}
        signed = await client.post("/staff/sign-in", data={**fields, "password": PASSWORD})
        assert signed.status_code == 303
        mine = await client.get("/cases", params={"view": "mine"})
        assert mine.status_code == 200
        assert set(REFERENCE.findall(mine.text)) == {c.reference for c in own}
        found = await client.get("/cases", params={"view": "mine", "q": own[0].fields[0]})
        assert REFERENCE.findall(found.text) == [own[0].reference]
        page = await client.get(f"/cases/{assigned}", params={"lang": "en"})
        assert page.status_code == 200
        # The manager not chosen is named once, with the reason in words.
        assert "<li>Karim Haddad: at capacity (20 of 20 cases open)</li>" in page.text
        accept = {"csrf_token": form_token(page.text), "version": str(page_version(page.text))}
        done = await client.post(f"/cases/{assigned}/accept", data=accept)
        assert done.status_code == 303
        assert done.headers["location"] == f"/cases/{assigned}?done=accepted"
        again = await client.get(done.headers["location"])
        assert 'class="badge status-accepted"' in again.text
        # The history names the manager, not the address she signs in with.
        history = again.text[again.text.index('class="history"') :]
        assert "Lucía Fernández: " in history and "ana@example.org" not in history
        stale = await client.post(f"/cases/{assigned}/accept", data=accept)
        assert stale.status_code == 409 and 'role="alert"' in stale.text
        unknown = await client.post(f"/cases/{assigned}/bogus", data=accept)
        assert unknown.status_code == 404
        assert (await client.get(f"/cases/{elsewhere}")).status_code == 404
        api = await client.get(f"/api/v1/cases/{elsewhere}")
        assert api.status_code == 404

    run_app(settings, steps, factory=create_app)
