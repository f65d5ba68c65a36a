"""The same privacy use cases on the embedded default (SQLite): export, erasure without a
trace, retention a year ahead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from services.desk.privacy.erasure import erase_person
from services.desk.privacy.export import build_export
from services.desk.privacy.find import Person, find_person
from shared.db.engine import checkpoint, session_scope
from shared.db.models import EnquiryRow, utcnow
from shared.privacy import audit
from shared.privacy.retention import RetentionPolicy, run_retention
from tests.support.cases import new_case
from tests.support.db import migrated, sqlite_url
from tests.support.person import WHERES, leave_traces
from tests.support.traces import dump, facts, new_markers, traces


def test_export_erasure_and_retention_on_sqlite(tmp_path: Path) -> None:
    with migrated(sqlite_url(tmp_path)) as sessions:
        a = new_markers()
        person = Person.parse(f"ana.{a.ascii}@example.net")
        leave_traces(sessions, a)
        closed = new_case(sessions, manager_id="m-01", status="closed")
        with session_scope(sessions) as session:
            found = find_person(session, person)
            exported = build_export(session, person=person, found=found, actor=audit.CLI)
        assert len(exported.data["cases"]) == 2 and len(exported.files) == 5
        engine = sessions.kw["bind"]
        before = facts(engine)
        with session_scope(sessions) as session:
            erase_person(session, person=person, reason="withdrawn", actor=audit.CLI)
        checkpoint(engine)
        after = dump(engine)
        assert [m for m in a.all(WHERES) if traces(after, m)] == []
        # Nor in the file's free pages or the write-ahead log.
        on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("welcomedesk.sqlite*"))
        assert a.ascii.encode() not in on_disk and a.text("message").encode() not in on_disk
        assert facts(engine) == before
        with session_scope(sessions) as session:
            row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == closed))
            assert row is not None
            row.closed_at = utcnow()
        policy = RetentionPolicy(case_days=365, raw_days=90, audit_days=730)
        ahead = utcnow() + dt.timedelta(days=366)
        report = run_retention(sessions, policy=policy, at=ahead)
        assert report.cases == [closed]
        assert run_retention(sessions, policy=policy, at=ahead).cases == []
