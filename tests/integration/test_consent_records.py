"""Consent as the form and the API record it: which text was shown (version and language)
and when each box was ticked; on the embedded database, in-process."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from shared import consent
from shared.db.migrate import upgrade
from shared.db.models import EnquiryRow
from shared.settings import Settings
from tests.support.inprocess import Steps, run_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'name="(consent_version|consent_language)" value="([^"]*)"')


def _run(tmp_path: Path, steps: Steps) -> str:
    url = f"sqlite:///{tmp_path}/consent.sqlite"
    upgrade(url)
    settings = Settings(
        secret_key="consent-test-secret-0123456789",
        database_url=url,
        broker_url="redis://127.0.0.1:9/0",  # never connected: the relay would publish
    )
    run_app(settings, steps)
    return url


def _row(url: str, reference: str) -> EnquiryRow:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
            assert row is not None
            return row
    finally:
        engine.dispose()


def test_the_form_records_the_text_it_showed_and_when(tmp_path: Path) -> None:
    found: dict[str, str] = {}
    current = consent.current_version()
    ukrainian = consent.shown(current, "uk")

    async def steps(client: httpx.AsyncClient) -> None:
        page = await client.get("/?lang=uk")
        assert ukrainian.processing.label in page.text and ukrainian.referral.text in page.text
        hidden = dict(HIDDEN.findall(page.text))
        assert hidden == {"consent_version": current, "consent_language": "uk"}
        token = TOKEN.search(page.text)
        assert token is not None
        fields = {
            "csrf_token": token.group(1),
            "lang": "uk",
            "email": "olena@example.net",
            "message": "Добрий день, шукаю курс німецької мови.",
            "consent_processing": "yes",
            "consent_referral": "yes",
            **hidden,
        }
        sent = await client.post("/", data=fields)
        assert sent.status_code == 303, sent.text
        thanks = await client.get(sent.headers["location"])
        reference = re.search(r"WC-\d{4}-\d{6}", thanks.text)
        assert reference is not None
        found["reference"] = reference.group(0)
        # A page that claims a text that does not exist is shown again, with the real one.
        forged = await client.get("/?lang=de")
        token = TOKEN.search(forged.text)
        assert token is not None
        again = await client.post(
            "/",
            data={**fields, "csrf_token": token.group(1), "consent_version": "1999-01-01"},
        )
        assert again.status_code == 400 and 'id="error-consent_processing"' in again.text

    url = _run(tmp_path, steps)
    row = _row(url, found["reference"])
    assert (row.consent_version, row.consent_language) == (current, "uk")
    assert row.consent_at is not None and row.consent_at == row.received_at
    assert row.consent_referral_at == row.received_at


def test_the_api_records_the_named_text_or_the_current_one(tmp_path: Path) -> None:
    references: dict[str, str] = {}
    current = consent.current_version()

    async def steps(client: httpx.AsyncClient) -> None:
        shown = await client.get("/api/v1/consent", params={"lang": "de"})
        assert shown.status_code == 200
        body = shown.json()
        assert body["version"] == current and body["language"] == "de"
        assert body["processing"]["label"] == consent.shown(current, "de").processing.label
        assert (await client.get("/api/v1/consent?lang=xx")).json()["language"] == "en"
        assert (await client.get("/api/v1/consent?version=1999-01-01")).status_code == 404
        base = {"email": "api@example.net", "message": "Hello", "consent_processing": True}
        named = await client.post(
            "/api/v1/enquiries",
            json={**base, "consent_version": current, "consent_language": "de"},
        )
        plain = await client.post("/api/v1/enquiries", json=base)
        assert named.status_code == plain.status_code == 202
        references.update(named=named.json()["reference"], plain=plain.json()["reference"])
        unknown = await client.post(
            "/api/v1/enquiries", json={**base, "consent_version": "1999-01-01"}
        )
        assert unknown.status_code == 422 and "consent_version" in unknown.text

    url = _run(tmp_path, steps)
    named, plain = _row(url, references["named"]), _row(url, references["plain"])
    assert (named.consent_version, named.consent_language) == (current, "de")
    assert (plain.consent_version, plain.consent_language) == (current, None)
    assert plain.consent_at == plain.received_at and plain.consent_referral_at is None
