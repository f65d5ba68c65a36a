"""The escalation sweep on PostgreSQL with the demo directory: reminder at half the time,
reassignment at the limit (never back, the team told), triage when nobody else is
eligible and the team reminded, office hours only, and nothing ever twice: not for the
same moment swept again, not for two sweeps at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from services.routing.engine import RoutingEngine
from services.routing.escalation import Action, sweep
from services.routing.timers import Limits
from shared.db.models import (
    CaseHistoryRow,
    EnquiryRow,
    EscalationRow,
    ManagerRow,
    SiteRow,
)
from shared.directory.store import read_directory
from shared.region import load_region
from tests.support.cases import case_row, mails_of, new_case
from tests.support.db import migrated, sqlite_url
from tests.support.servers import database, postgres_server
from tests.support.system import at_once

Sessions = sessionmaker[Session]
BERLIN = ZoneInfo("Europe/Berlin")
DEFAULTS = Limits(accept_within=8, triage_within=4)
FRIDAY_AFTERNOON = dt.datetime(2026, 12, 4, 15, 0, tzinfo=BERLIN)  # Wolfsburg: 09:00-17:00


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def sessions() -> Iterator[Sessions]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as factory:
        yield factory


@pytest.fixture(autouse=True)
def nothing_else_waits(sessions: Sessions) -> Iterator[None]:
    """Each test sweeps only its own cases, with the demo directory's capacities."""
    with sessions.begin() as session:
        session.execute(
            update(EnquiryRow)
            .where(EnquiryRow.status.in_(("assigned", "accepted", "waiting", "triage")))
            .values(status="closed", outcome="advised")
        )
        session.execute(update(ManagerRow).values(capacity=20))
        session.execute(update(SiteRow).values(accept_within=None, triage_within=None))
    yield


def _sweep(sessions: Sessions, now: dt.datetime, *, dry_run: bool = False) -> list[Action]:
    session = sessions()
    try:
        transaction = session.begin()
        engine = RoutingEngine(read_directory(session), load_region())
        done = sweep(session, now=now, engine=engine, defaults=DEFAULTS)
        (transaction.rollback if dry_run else transaction.commit)()
        return done
    finally:
        session.close()


def _assigned(sessions: Sessions, manager_id: str, since: dt.datetime) -> str:
    reference = new_case(sessions, manager_id=manager_id, status="assigned", site="wolfsburg")
    with sessions.begin() as session:
        session.execute(
            update(EnquiryRow)
            .where(EnquiryRow.reference == reference)
            .values(assigned_at=since.astimezone(dt.UTC), routed_at=since.astimezone(dt.UTC))
        )
    return reference


def _email(sessions: Sessions, manager_id: str) -> str:
    with sessions() as session:
        manager = session.get(ManagerRow, manager_id)
        assert manager is not None
        return manager.email


def _mine(actions: list[Action], reference: str) -> list[tuple[str, str | None, str | None]]:
    return [(a.action, a.from_, a.to) for a in actions if a.reference == reference]


def test_reminder_at_half_time_then_reassignment_at_the_limit_never_back(
    sessions: Sessions,
) -> None:
    reference = _assigned(sessions, "m-03", FRIDAY_AFTERNOON)
    # Friday 15:00-17:00 is two office hours; the weekend counts none.
    assert _mine(_sweep(sessions, at(5, 12)), reference) == []
    assert _mine(_sweep(sessions, at(7, 10, 59)), reference) == []
    assert _mine(_sweep(sessions, at(7, 11)), reference) == [("reminder", "m-03", "m-03")]
    assert _mine(_sweep(sessions, at(7, 11)), reference) == []  # the same moment again
    assert _mine(_sweep(sessions, at(7, 14)), reference) == []  # reminded once
    assert mails_of(sessions, reference) == [("reminder", _email(sessions, "m-03"))]

    done = _sweep(sessions, at(7, 15))
    assert _mine(done, reference) == [("reassigned", "m-03", "m-04")]
    assert done[0].reason == "not accepted within 8 office hours"
    case = case_row(sessions, reference)
    assert (case.status, case.manager_id, case.accepted_at) == ("assigned", "m-04", None)
    assert case.reasons[:2] == [
        "not accepted within 8 office hours",
        "reassigned: not back to m-03",
    ]
    assert case.assigned_at is not None and case.assigned_at == at(7, 15)
    assert mails_of(sessions, reference)[1:] == [
        ("manager", _email(sessions, "m-04")),
        ("escalation", "team-wob@example.org"),
    ]
    assert _mine(_sweep(sessions, at(7, 15)), reference) == []
    with sessions() as session:
        actions = session.scalars(
            select(CaseHistoryRow.action)
            .where(CaseHistoryRow.enquiry_id == case.id)
            .order_by(CaseHistoryRow.id)
        ).all()
        timers = session.scalars(
            select(EscalationRow.timer).where(EscalationRow.enquiry_id == case.id)
        ).all()
    assert list(actions) == ["reminded", "escalated", "reassigned"]
    assert sorted(timers) == ["accept_limit", "accept_reminder"]
    # The new assignment has its own timer: Monday 15:00-17:00 and Tuesday 09:00-11:00.
    assert _mine(_sweep(sessions, at(8, 10, 59)), reference) == []
    assert _mine(_sweep(sessions, at(8, 11)), reference) == [("reminder", "m-04", "m-04")]


def test_with_nobody_else_eligible_the_case_goes_to_triage_and_the_team_is_reminded(
    sessions: Sessions,
) -> None:
    reference = _assigned(sessions, "m-03", FRIDAY_AFTERNOON)
    with sessions.begin() as session:
        session.execute(update(ManagerRow).where(ManagerRow.id != "m-03").values(capacity=0))
    done = _mine(_sweep(sessions, at(7, 16)), reference)
    assert done == [("triage", "m-03", None)]  # past the limit: no reminder any more
    case = case_row(sessions, reference)
    assert (case.status, case.manager_id, case.site) == ("triage", None, "wolfsburg")
    assert mails_of(sessions, reference) == [("triage", "team-wob@example.org")]
    # In triage since Monday 16:00: four office hours later is Tuesday 12:00.
    assert _mine(_sweep(sessions, at(8, 11, 59)), reference) == []
    assert _mine(_sweep(sessions, at(8, 12)), reference) == [("triage_reminder", None, "wolfsburg")]
    assert _mine(_sweep(sessions, at(9, 12)), reference) == []  # once per stay
    assert mails_of(sessions, reference)[-1] == ("triage_reminder", "team-wob@example.org")


def test_nothing_happens_outside_office_hours_and_a_sites_own_limit_counts(
    sessions: Sessions,
) -> None:
    reference = _assigned(sessions, "m-04", at(7, 9))
    with sessions.begin() as session:
        session.execute(update(SiteRow).where(SiteRow.code == "wolfsburg").values(accept_within=2))
    # Due at 10:00 by the site's own two hours; the evening and the night do nothing.
    assert _mine(_sweep(sessions, at(7, 9, 59)), reference) == []
    assert _mine(_sweep(sessions, at(7, 10)), reference) == [("reminder", "m-04", "m-04")]
    assert _mine(_sweep(sessions, at(7, 20)), reference) == []
    assert _mine(_sweep(sessions, at(8, 8, 59)), reference) == []
    assert _mine(_sweep(sessions, at(8, 9)), reference) == [("reassigned", "m-04", "m-03")]


def test_an_accepted_case_is_left_alone(sessions: Sessions) -> None:
    reference = _assigned(sessions, "m-03", FRIDAY_AFTERNOON)
    with sessions.begin() as session:
        session.execute(
            update(EnquiryRow).where(EnquiryRow.reference == reference).values(status="accepted")
        )
    assert _mine(_sweep(sessions, at(8, 12)), reference) == []


def test_a_dry_run_tells_what_a_real_run_does_and_changes_nothing(sessions: Sessions) -> None:
    reference = _assigned(sessions, "m-03", FRIDAY_AFTERNOON)
    dry = _mine(_sweep(sessions, at(7, 15), dry_run=True), reference)
    assert dry == [("reassigned", "m-03", "m-04")]
    assert case_row(sessions, reference).manager_id == "m-03"
    assert mails_of(sessions, reference) == []
    assert _mine(_sweep(sessions, at(7, 15)), reference) == dry


def test_two_sweeps_at_once_act_once(sessions: Sessions) -> None:
    references = [_assigned(sessions, m, FRIDAY_AFTERNOON) for m in ("m-03", "m-04", "m-03")]
    results = at_once(lambda: _sweep(sessions, at(7, 11, 30)))
    acted = sorted(a.reference for done in results for a in done if a.reference in references)
    assert acted == sorted(references)  # each case reminded by one of the two sweeps
    for reference in references:
        assert [kind for kind, _ in mails_of(sessions, reference)] == ["reminder"]


def test_the_embedded_sqlite_database_sweeps_alike(tmp_path: Path) -> None:
    with migrated(sqlite_url(tmp_path)) as embedded:
        reference = _assigned(embedded, "m-03", FRIDAY_AFTERNOON)
        assert _mine(_sweep(embedded, at(7, 11)), reference) == [("reminder", "m-03", "m-03")]
        assert _mine(_sweep(embedded, at(7, 11)), reference) == []
        assert _mine(_sweep(embedded, at(7, 15)), reference) == [("reassigned", "m-03", "m-04")]
        assert _mine(_sweep(embedded, at(7, 15)), reference) == []
        assert [kind for kind, _ in mails_of(embedded, reference)] == [
            "reminder",
            "manager",
            "escalation",
        ]
