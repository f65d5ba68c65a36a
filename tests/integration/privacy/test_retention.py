"""Retention on PostgreSQL: exactly the closed cases past their time are anonymised, mail
bytes and files go after theirs (dead letters too), the audit log keeps its own time,
nothing the statistics use changes, and a second sweep finds nothing left to do."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound.service import reprocess_mail
from shared.db.engine import session_scope
from shared.db.models import (
    AttachmentRow,
    AuditRow,
    EnquiryRow,
    InboundMailRow,
    SuppressedAddressRow,
    utcnow,
)
from shared.privacy import audit
from shared.privacy.retention import RetentionPolicy, RetentionReport, run_retention
from tests.support.cases import new_case
from tests.support.db import engine_of, migrated
from tests.support.person import CONTEXT, mail
from tests.support.person import _ingest as ingest
from tests.support.servers import database, postgres_server
from tests.support.traces import dump, facts

POLICY = RetentionPolicy(case_days=365, raw_days=90, audit_days=730)
NOW = utcnow()


def _ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


@dataclass
class World:
    sessions: sessionmaker[Session]
    due: str  # closed 400 days ago
    recent: str  # closed 100 days ago
    open_old: str  # received 500 days ago, still open
    old_mail_case: str  # open, its mail 100 days old
    dead_letter: int  # a mail on no case, 100 days old, failed
    fresh_mail: int  # 10 days old
    dry: RetentionReport
    report: RetentionReport
    again: RetentionReport
    before_facts: str
    after_facts: str
    dry_dump_equal: bool


def _set(sessions: sessionmaker[Session], model: type, key: object, **values: object) -> None:
    with session_scope(sessions) as session:
        column = model.reference if model is EnquiryRow else model.id  # type: ignore[attr-defined]
        session.execute(update(model).where(column == key).values(**values))


def _address() -> str:
    return f"kept.{uuid.uuid4().hex[:8]}@example.net"


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as sessions:
        due = new_case(sessions, manager_id="m-01", status="closed")
        _set(sessions, EnquiryRow, due, closed_at=_ago(400), received_at=_ago(420))
        recent = new_case(sessions, manager_id="m-01", status="closed")
        _set(sessions, EnquiryRow, recent, closed_at=_ago(100), received_at=_ago(120))
        open_old = new_case(sessions, manager_id="m-01", status="accepted")
        _set(sessions, EnquiryRow, open_old, received_at=_ago(500))
        old_mail_case = ingest(
            sessions, mail(_address(), "Zeugnis", "Anbei.", file=("z.pdf", b"%PDF"))
        )
        assert old_mail_case is not None
        with sessions() as session:
            case_id = session.scalar(
                select(EnquiryRow.id).where(EnquiryRow.reference == old_mail_case)
            )
            mail_id = session.scalar(
                select(InboundMailRow.id).where(InboundMailRow.enquiry_id == case_id)
            )
        assert mail_id is not None
        _set(sessions, InboundMailRow, mail_id, received_at=_ago(100))
        with session_scope(sessions) as session:
            session.execute(
                update(AttachmentRow)
                .where(AttachmentRow.enquiry_id == case_id)
                .values(created_at=_ago(100))
            )
        listed = mail(_address(), "Newsletter", "Angebote", headers={"List-Id": "<n.example>"})
        ingest(sessions, listed)
        with sessions() as session:
            dead_letter = int(session.scalar(select(func.max(InboundMailRow.id))) or 0)
        _set(
            sessions,
            InboundMailRow,
            dead_letter,
            received_at=_ago(100),
            status="failed",
            last_error="Boom: Ana",
        )
        fresh = ingest(sessions, mail(_address(), "Frage", "Noch da?"))
        assert fresh is not None
        with sessions() as session:
            fresh_mail = int(session.scalar(select(func.max(InboundMailRow.id))) or 0)
        with session_scope(sessions) as session:
            session.add(
                SuppressedAddressRow(address=_address(), reason="hard bounce", created_at=_ago(400))
            )
            audit.record(session.connection(), action="sign_in", actor=audit.CLI, at=_ago(800))
        before_facts, before_dump = facts(engine_of(sessions)), dump(engine_of(sessions))
        dry = run_retention(sessions, policy=POLICY, at=NOW, dry_run=True)
        dry_dump_equal = dump(engine_of(sessions)) == before_dump
        report = run_retention(sessions, policy=POLICY, at=NOW)
        after_facts = facts(engine_of(sessions))
        again = run_retention(sessions, policy=POLICY, at=NOW)
        yield World(
            sessions,
            due,
            recent,
            open_old,
            old_mail_case,
            dead_letter,
            fresh_mail,
            dry,
            report,
            again,
            before_facts,
            after_facts,
            dry_dump_equal,
        )


def _case(world: World, reference: str) -> EnquiryRow:
    with world.sessions() as session:
        row = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert row is not None
        return row


def _mail(world: World, mail_id: int) -> InboundMailRow:
    with world.sessions() as session:
        row = session.get(InboundMailRow, mail_id)
        assert row is not None
        return row


def test_exactly_the_closed_cases_past_their_time_are_anonymised(world: World) -> None:
    assert world.report.cases == [world.due]
    due = _case(world, world.due)
    assert due.anonymised_why == "retention" and due.email is None and due.message == ""
    for kept in (world.recent, world.open_old, world.old_mail_case):
        row = _case(world, kept)
        assert row.anonymised_at is None and row.email and row.message, kept


def test_mail_bytes_and_files_go_after_their_own_time_on_open_cases_too(world: World) -> None:
    assert (world.report.raw_mails, world.report.attachments) == (1, 1)
    with world.sessions() as session:
        case_id = session.scalar(
            select(EnquiryRow.id).where(EnquiryRow.reference == world.old_mail_case)
        )
        old = session.scalar(select(InboundMailRow).where(InboundMailRow.enquiry_id == case_id))
        assert old is not None and old.raw == b"" and old.raw_deleted_at is not None
        files = session.scalars(
            select(AttachmentRow.data).where(AttachmentRow.enquiry_id == case_id)
        ).all()
        assert files == [None]
    fresh = _mail(world, world.fresh_mail)
    assert fresh.raw and fresh.raw_deleted_at is None


def test_a_dead_letter_loses_all_that_could_name_its_sender(world: World) -> None:
    assert world.report.unlinked_mails == 1
    dead = _mail(world, world.dead_letter)
    assert dead.raw == b"" and dead.last_error is None and dead.message_id is None
    assert dead.status == "dead" and dead.dedup_key == f"erased:{dead.id}"
    with pytest.raises(LookupError, match="deleted"), session_scope(world.sessions) as session:
        reprocess_mail(session, inbound_id=dead.id, context=CONTEXT, max_attempts=3)


def test_bounces_and_the_audit_log_keep_their_own_time(world: World) -> None:
    assert (world.report.suppressed_addresses, world.report.audit_entries) == (1, 1)
    with world.sessions() as session:
        actions = session.scalars(select(AuditRow.action)).all()
    assert "sign_in" not in actions and actions.count("retention") == 2


def test_the_dry_run_says_the_same_and_touches_nothing(world: World) -> None:
    assert world.dry_dump_equal
    summary = {k: v for k, v in world.dry.summary().items() if k != "dry_run"}
    assert summary == {k: v for k, v in world.report.summary().items() if k != "dry_run"}


def test_the_statistics_facts_stay_and_a_second_sweep_does_nothing(world: World) -> None:
    assert world.after_facts == world.before_facts
    assert world.again.summary() | {"at": ""} == RetentionReport(NOW, False).summary() | {"at": ""}
