"""`welcomedesk privacy ...` and `welcomedesk audit` as an administrator types them, on
PostgreSQL: clear answers to bad input, an export in a folder, an erasure, the log."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import session_scope
from shared.db.models import EnquiryRow, utcnow
from tests.support.cases import new_case
from tests.support.db import migrated
from tests.support.person import leave_traces
from tests.support.servers import database, postgres_server
from tests.support.system import System
from tests.support.traces import Markers, new_markers


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[System, Markers, str]]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as sessions:
        markers = new_markers()
        leave_traces(sessions, markers)
        closed = new_case(sessions, manager_id="m-03", status="closed", site="wolfsburg")
        _close_now(sessions, closed)
        env = {
            "WELCOMEDESK_DATABASE_URL": url,
            "WELCOMEDESK_SECRET_KEY": "cli-secret-0123456789abcdef",
        }
        yield System(env=env, workdir=tmp_path_factory.mktemp("cli")), markers, closed


def _close_now(sessions: sessionmaker[Session], reference: str) -> None:
    with session_scope(sessions) as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        row.closed_at = utcnow()


def test_bad_input_is_answered_clearly(world: tuple[System, Markers, str], tmp_path: Path) -> None:
    system, _, _ = world
    nobody = f"nobody.{uuid.uuid4().hex[:8]}@example.net"
    unknown = system.cli("privacy", "export", nobody, "--out", str(tmp_path / "x"))
    assert unknown.returncode == 0 and f"nothing held about {nobody}" in unknown.stdout
    assert not (tmp_path / "x").exists()
    erased = system.cli("privacy", "erase", nobody.upper(), "--reason", "request")
    assert erased.returncode == 0 and "nothing held" in erased.stdout
    malformed = system.cli("privacy", "export", "ana.at.example.net")
    assert malformed.returncode == 2 and "is not an e-mail address" in malformed.stderr
    assert "@" in malformed.stderr  # the reason: it has no @-sign
    no_reason = system.cli("privacy", "erase", nobody)
    assert no_reason.returncode == 2 and "--reason" in no_reason.stderr
    empty_reason = system.cli("privacy", "erase", nobody, "--reason", " ")
    assert empty_reason.returncode == 2 and "request, withdrawn" in empty_reason.stderr
    # A reason in words is taken (its words are not kept), and nothing is held here.
    worded = system.cli("privacy", "erase", nobody, "--reason", "she asked us by phone")
    assert worded.returncode == 0 and "nothing held" in worded.stdout
    phone = system.cli("privacy", "export", nobody, "--phone", "12")
    assert phone.returncode == 2 and "phone" in phone.stderr
    audit = system.cli("audit", "--case", "WC-1999-000001")
    assert audit.returncode == 2 and "no case" in audit.stderr


def test_export_then_erasure_from_the_command_line(
    world: tuple[System, Markers, str], tmp_path: Path
) -> None:
    system, markers, _ = world
    email = f"Ana.{markers.ascii}@Example.net"
    out = tmp_path / "export"
    done = system.cli("privacy", "export", email, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "2 case(s)" in done.stdout
    data = json.loads((out / "export.json").read_text())
    assert markers.text("message") in json.dumps(data, ensure_ascii=False)
    assert (out / "export.html").read_text().count(markers.text("note")) == 1
    assert len(list((out / "mails").iterdir())) == 3
    assert (out / "mails").stat().st_mode & 0o077 == 0  # the owner's alone
    again = system.cli("privacy", "export", email, "--out", str(out))
    assert again.returncode == 2 and "not an empty folder" in again.stderr
    dry = system.cli("privacy", "erase", email, "--reason", "request", "--dry-run")
    assert dry.returncode == 0 and dry.stdout.startswith("would erase: 2 cases")
    erased = system.cli("privacy", "erase", email, "--reason", "request")
    assert erased.returncode == 0 and erased.stdout.startswith("erased: 2 cases")
    reference = erased.stdout.splitlines()[1].strip()
    log = system.cli("audit", "--case", reference)
    assert log.returncode == 0
    actions = [line.split("\t")[1] for line in log.stdout.splitlines()]
    assert actions[:2] == ["case_erased", "case_exported"]
    assert markers.ascii not in log.stdout
    gone = system.cli("privacy", "export", email, "--out", str(tmp_path / "after"))
    assert "nothing held" in gone.stdout


def test_retention_by_hand_a_year_ahead(world: tuple[System, Markers, str]) -> None:
    system, _, closed = world
    ahead = (utcnow() + dt.timedelta(days=366)).isoformat()
    dry = system.cli("privacy", "retention", "--at", ahead, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == closed
    summary = json.loads(dry.stdout.splitlines()[-1])
    assert summary["dry_run"] is True and summary["cases"] == 1
    done = system.cli("privacy", "retention", "--at", ahead)
    assert json.loads(done.stdout)["cases"] == 1
    assert json.loads(system.cli("privacy", "retention", "--at", ahead).stdout)["cases"] == 0
    early = system.cli("privacy", "retention", "--at", "2020-01-01T00:00:00+00:00")
    assert json.loads(early.stdout)["cases"] == 0
