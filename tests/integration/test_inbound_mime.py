"""POST /api/v1/inbound/mime in the intake application, in-process, on a real SQLite database."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support import mails
from tests.support.inprocess import Steps, run_app

TOKEN = "inbound-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"}


def run_against_the_app(tmp_path: Path, steps: Steps, **settings: object) -> None:
    database_url = f"sqlite:///{tmp_path}/intake.sqlite"
    upgrade(database_url)
    values: dict[str, object] = {
        "secret_key": "unit-test-secret-0123456789",
        "database_url": database_url,
        "broker_url": "redis://127.0.0.1:9/0",  # never connected: the relay publishes
        "mail_from": mails.OUR_ADDRESS,
        "inbound_token": TOKEN,
        "inbound_max_bytes": 200_000,
        **settings,
    }
    run_app(Settings(**values), steps)  # type: ignore[arg-type]  # fields by name


def test_a_mail_is_answered_with_its_outcome_and_counted_once(tmp_path: Path) -> None:
    raw = mails.enquiry(f"ana.{uuid.uuid4().hex[:6]}@example.net")

    async def steps(client: httpx.AsyncClient) -> None:
        first = await client.post("/api/v1/inbound/mime", content=raw, headers=AUTH)
        assert first.status_code == 200, first.text
        answer = first.json()
        assert (answer["outcome"], answer["kind"], answer["status"]) == (
            "created",
            "new",
            "processed",
        )
        assert answer["reference"].startswith("WC-")
        again = await client.post("/api/v1/inbound/mime", content=raw, headers=AUTH)
        assert again.json()["outcome"] == "duplicate"
        assert again.json()["inbound_id"] == answer["inbound_id"]
        follow = mails.follow_up("ana@example.net", answer["reference"])
        joined = await client.post("/api/v1/inbound/mime", content=follow, headers=AUTH)
        assert (joined.json()["outcome"], joined.json()["reference"]) == (
            "joined",
            answer["reference"],
        )

    run_against_the_app(tmp_path, steps)


def test_the_endpoint_wants_its_token_and_a_message(tmp_path: Path) -> None:
    raw = mails.enquiry("bo@example.net")

    async def steps(client: httpx.AsyncClient) -> None:
        url = "/api/v1/inbound/mime"
        assert (await client.post(url, content=raw)).status_code == 401
        wrong = {**AUTH, "Authorization": "Bearer wrong-token-0123456789"}
        assert (await client.post(url, content=raw, headers=wrong)).status_code == 401
        assert (await client.post(url, content=b" \r\n", headers=AUTH)).status_code == 400
        big = raw + b"x" * 200_001
        assert (await client.post(url, content=big, headers=AUTH)).status_code == 413

    run_against_the_app(tmp_path, steps)


def test_without_a_token_configured_the_endpoint_says_so(tmp_path: Path) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        answer = await client.post("/api/v1/inbound/mime", content=b"Subject: x\r\n\r\nhi")
        assert answer.status_code == 503
        assert "WELCOMEDESK_INBOUND_TOKEN" in answer.json()["detail"]

    run_against_the_app(tmp_path, steps, inbound_token=None)


def test_no_bytes_a_client_can_send_make_a_server_error(tmp_path: Path) -> None:
    chance = random.Random(20261204)
    bodies = [
        b"\x00" * 100,
        b"\xff\xfe" * 500,
        b"Subject: " + b"=?utf-8?b?" * 3000 + b"\r\n\r\n",
        b"From: <>\r\nContent-Type: multipart/mixed\r\n\r\n--\r\n--",
        b"Message-ID: <" + b"a" * 5000 + b">\r\n\r\nbody",
        b"Message-ID: <>\r\nSubject: \x00\r\n\r\n\x00text\x00",
        *(bytes(chance.getrandbits(8) for _ in range(chance.randint(1, 3000))) for _ in range(30)),
    ]

    async def steps(client: httpx.AsyncClient) -> None:
        for body in bodies:
            answer = await client.post("/api/v1/inbound/mime", content=body, headers=AUTH)
            assert answer.status_code in (200, 202, 400), (answer.status_code, body[:60])

    run_against_the_app(tmp_path, steps)


def test_a_mail_that_fails_is_kept_and_answered_as_such(tmp_path: Path) -> None:
    async def steps(client: httpx.AsyncClient) -> None:
        engine = create_engine(f"sqlite:///{tmp_path}/intake.sqlite")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "CREATE TRIGGER poison BEFORE INSERT ON enquiries "
                    "WHEN NEW.subject LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'no'); END"
                )
            )
        engine.dispose()
        raw = mails.enquiry("cy@example.net", subject="poison")
        answer = await client.post("/api/v1/inbound/mime", content=raw, headers=AUTH)
        assert answer.status_code == 202
        assert (answer.json()["outcome"], answer.json()["status"]) == ("failed", "failed")

    run_against_the_app(tmp_path, steps)
