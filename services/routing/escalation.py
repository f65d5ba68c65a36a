"""The escalation sweep (policy rule 8): finds the cases whose office-hours timers are due
and acts on them, in one transaction that the caller commits (or, for a dry run, rolls
back).

A sweep holds a lock of its own for its transaction, and every action leaves an
`escalations` row unique per case, timer and the moment the timer counts from: two
sweeps at once, or the same moment swept twice, never act twice. Each action runs in a
savepoint: a case that cannot be acted on (done by another sweep meanwhile, its manager or
site gone from the directory) is skipped and holds up no other; any other error ends the
sweep, to be tried again a minute later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import structlog
from sqlalchemy import exists, func, literal_column, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.routing import escalation_actions as actions
from services.routing.engine import RoutingEngine
from services.routing.escalation_actions import Action, Candidate, SweepState
from services.routing.timers import Limits, Thresholds, Timer, Waiting, due, thresholds
from shared.calendar import OfficeCalendar
from shared.db.models import (
    CaseHistoryRow,
    EnquiryRow,
    EscalationRow,
    ManagerRow,
    MetaRow,
    SiteRow,
    as_utc,
)
from shared.directory.store import site_of_row

__all__ = ["Action", "lock_sweep", "sweep"]

log = structlog.get_logger(__name__)
LOCK_KEY = "escalation_lock"
# History actions that put a case into the triage queue: its stay there counts from the
# latest of them.
INTO_TRIAGE = ("triage", "reopened", "reopened_by_mail")


def lock_sweep(session: Session) -> None:
    """One sweep at a time; a second one waits, then finds the work done."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(literal_column("pg_advisory_xact_lock(4242002)")))
        return
    if session.get(MetaRow, LOCK_KEY) is None:
        session.add(MetaRow(key=LOCK_KEY, value="0"))
        session.flush()
    session.execute(update(MetaRow).where(MetaRow.key == LOCK_KEY).values(value=MetaRow.value))


def site_rules(
    session: Session, now: dt.datetime, defaults: Limits
) -> tuple[dict[str, Thresholds | None], Thresholds | None]:
    """Each site's thresholds now (None while closed), and those of the default calendar
    for a case without a site."""
    found: dict[str, Thresholds | None] = {}
    for row in session.scalars(select(SiteRow)):
        site = site_of_row(row)
        limits = defaults.overridden(site.accept_within, site.triage_within)
        found[site.code] = thresholds(site.calendar, now, limits)
    return found, thresholds(OfficeCalendar(), now, defaults)


def _done_timer(timer: str, since: Any) -> Any:
    return exists().where(
        EscalationRow.enquiry_id == EnquiryRow.id,
        EscalationRow.timer == timer,
        EscalationRow.since == since,
    )


def assigned_candidates(session: Session, latest: dt.datetime) -> Iterable[Candidate]:
    """Assigned cases waiting since `latest` or longer; a case without a site counts in
    its manager's site."""
    query = (
        select(
            EnquiryRow.id,
            EnquiryRow.reference,
            func.coalesce(EnquiryRow.site, ManagerRow.site),
            EnquiryRow.manager_id,
            EnquiryRow.assigned_at,
            _done_timer("accept_reminder", EnquiryRow.assigned_at),
            _done_timer("accept_limit", EnquiryRow.assigned_at),
        )
        .outerjoin(ManagerRow, ManagerRow.id == EnquiryRow.manager_id)
        .where(
            EnquiryRow.status == "assigned",
            EnquiryRow.assigned_at.is_not(None),
            EnquiryRow.assigned_at <= latest,
        )
        .order_by(EnquiryRow.assigned_at, EnquiryRow.id)
    )
    for key, reference, site, manager, since, reminded, limited in session.execute(query):
        done = {t for t, d in (("accept_reminder", reminded), ("accept_limit", limited)) if d}
        waiting = Waiting("assigned", as_utc(since), frozenset(done))
        yield Candidate(key, reference, site, manager, waiting)


def triage_candidates(session: Session, latest: dt.datetime) -> Iterable[Candidate]:
    entered = (
        select(func.max(CaseHistoryRow.at))
        .where(CaseHistoryRow.enquiry_id == EnquiryRow.id, CaseHistoryRow.action.in_(INTO_TRIAGE))
        .scalar_subquery()
    )
    since = func.coalesce(entered, EnquiryRow.routed_at, EnquiryRow.received_at)
    inner = (
        select(
            EnquiryRow.id.label("id"),
            EnquiryRow.reference.label("reference"),
            EnquiryRow.site.label("site"),
            since.label("since"),
        )
        .where(EnquiryRow.status == "triage")
        .subquery()
    )
    reminded = exists().where(
        EscalationRow.enquiry_id == inner.c.id,
        EscalationRow.timer == "triage_reminder",
        EscalationRow.since == inner.c.since,
    )
    query = (
        select(inner.c.id, inner.c.reference, inner.c.site, inner.c.since, reminded)
        .where(inner.c.since <= latest)
        .order_by(inner.c.since, inner.c.id)
    )
    for key, reference, site, started, done in session.execute(query):
        marks = frozenset({"triage_reminder"} if done else ())
        yield Candidate(key, reference, site, None, Waiting("triage", as_utc(started), marks))


def sweep(
    session: Session,
    *,
    now: dt.datetime,
    engine: RoutingEngine,
    defaults: Limits,
) -> list[Action]:
    """Acts on every due timer as of `now`; flushes, never commits."""
    now = now.astimezone(dt.UTC)  # stored as UTC: SQLite keeps no time zone
    lock_sweep(session)
    rules, fallback = site_rules(session, now, defaults)
    open_rules = [r for r in (*rules.values(), fallback) if r is not None]
    if not open_rules:
        return []
    state = SweepState(session, engine, now)
    latest = max(r.remind for r in open_rules)
    latest_triage = max(r.triage for r in open_rules)
    candidates = [
        *assigned_candidates(session, latest),
        *triage_candidates(session, latest_triage),
    ]
    for case in candidates:
        rule = rules.get(case.site, fallback) if case.site is not None else fallback
        timer = due(case.waiting, rule) if rule is not None else None
        if timer is None or rule is None:
            continue
        _act(state, case, timer, rule.limits)
    return state.done


def _act(state: SweepState, case: Candidate, timer: Timer, limits: Limits) -> None:
    try:
        with state.session.begin_nested():
            action = actions.run(state, case, timer, limits)
    except IntegrityError:
        # Another sweep recorded this timer between our look and our write.
        log.info("escalation_already_done", reference=case.reference, timer=timer)
        return
    except LookupError as exc:
        log.warning("escalation_skipped", reference=case.reference, timer=timer, error=str(exc))
        return
    if action is not None:
        state.done.append(action)
        log.info(
            "case_escalated",
            reference=action.reference,
            action=action.action,
            from_manager=action.from_,
            to=action.to,
        )
