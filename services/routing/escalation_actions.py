"""What the escalation sweep does to one case, each in the caller's savepoint: remind its
manager, reassign it at the limit (by the routing policy, never back to the same
manager; the site's team is told), or remind the site's team of a case in triage."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.routing.engine import RoutingEngine
from services.routing.policy import Workload
from services.routing.reassign import reassign_case
from services.routing.service import current_loads, lock_routing
from services.routing.timers import Limits, Timer, Waiting, reason
from shared.db.models import EnquiryRow, EscalationRow, ManagerRow, SiteRow, as_utc
from shared.history import ESCALATION, record
from shared.mail_requests import request_mail


@dataclass(frozen=True)
class Action:
    """One thing a sweep did, as `welcomedesk escalate` prints it."""

    reference: str
    action: str  # reminder, reassigned, triage, triage_reminder
    from_: str | None  # the manager the case was with
    to: str | None  # the manager reminded or now responsible, or the site whose team hears
    reason: str
    site: str | None
    outbox_ids: tuple[int, ...] = ()

    def as_line(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "action": self.action,
            "from": self.from_,
            "to": self.to,
            "reason": self.reason,
            "site": self.site,
        }


@dataclass
class Candidate:
    enquiry_id: int
    reference: str
    site: str | None
    manager_id: str | None
    waiting: Waiting


@dataclass
class SweepState:
    """What one sweep reads once and shares between its actions."""

    session: Session
    engine: RoutingEngine
    now: dt.datetime
    loads: dict[str, Workload] | None = None
    done: list[Action] = field(default_factory=list)

    def managers_loads(self, enquiry_id: int) -> dict[str, Workload]:
        """Taken under the routing lock at the first reassignment, then kept current."""
        if self.loads is None:
            lock_routing(self.session, enquiry_id)
            self.loads = dict(current_loads(self.session))
        return self.loads


def still_waiting(session: Session, case: Candidate) -> bool:
    """Locks the case and checks it waits as the sweep saw it: a manager who accepted it
    a moment ago wins."""
    query = select(EnquiryRow.status, EnquiryRow.assigned_at).where(
        EnquiryRow.id == case.enquiry_id
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=EnquiryRow)
    row = session.execute(query).first()
    if row is None or row.status != case.waiting.status:
        return False
    if case.waiting.status == "assigned":
        return row.assigned_at is not None and as_utc(row.assigned_at) == case.waiting.since
    return True


def run(state: SweepState, case: Candidate, timer: Timer, limits: Limits) -> Action | None:
    """None when the case no longer waits as the sweep saw it."""
    if not still_waiting(state.session, case):
        return None
    if timer == "accept_reminder":
        return _remind(state, case, limits)
    if timer == "accept_limit":
        return _reassign(state, case, limits)
    return _remind_team(state, case, limits)


def _record(state: SweepState, case: Candidate, timer: Timer, hours: float) -> EscalationRow:
    """The timer's row; a second one for the same wait fails on its unique key."""
    row = EscalationRow(
        enquiry_id=case.enquiry_id,
        timer=timer,
        since=case.waiting.since,
        at=state.now,
        site=case.site,
        manager_id=case.manager_id,
        office_hours=hours,
    )
    state.session.add(row)
    state.session.flush()
    return row


def _case(session: Session, case: Candidate) -> EnquiryRow:
    found = session.get(EnquiryRow, case.enquiry_id)
    if found is None:
        raise LookupError(f"enquiry {case.enquiry_id} does not exist")
    return found


def _tell(
    state: SweepState,
    case: Candidate,
    row: EscalationRow,
    *,
    kind: str,
    to: tuple[str, str],
    action: str,
    details: dict[str, Any],
) -> int:
    """The timer's mail (to an address and name) and its history entry; the outbox id."""
    delivery_id, event_id = request_mail(
        state.session,
        enquiry=_case(state.session, case),
        kind=kind,
        recipient=to[0],
        recipient_name=to[1],
    )
    row.delivery_id = delivery_id
    record(
        state.session.connection(),
        enquiry_id=case.enquiry_id,
        actor=ESCALATION,
        action=action,
        details={**details, "delivery": delivery_id},
        at=state.now,
    )
    return event_id


def _remind(state: SweepState, case: Candidate, limits: Limits) -> Action:
    manager = state.session.get(ManagerRow, case.manager_id) if case.manager_id else None
    if manager is None:
        raise LookupError(f"{case.reference}: no manager {case.manager_id!r} to remind")
    row = _record(state, case, "accept_reminder", limits.accept_within)
    event_id = _tell(
        state,
        case,
        row,
        kind="reminder",
        to=(manager.email, manager.name),
        action="reminded",
        details={"to": manager.id, "hours": limits.accept_within},
    )
    why = reason("accept_reminder", limits)
    return Action(case.reference, "reminder", manager.id, manager.id, why, case.site, (event_id,))


def _reassign(state: SweepState, case: Candidate, limits: Limits) -> Action:
    session = state.session
    loads = state.managers_loads(case.enquiry_id)
    row = _record(state, case, "accept_limit", limits.accept_within)
    previous = case.manager_id
    why = reason("accept_limit", limits)
    request_id = record(
        session.connection(),
        enquiry_id=case.enquiry_id,
        actor=ESCALATION,
        action="escalated",
        details={"from": previous, "hours": limits.accept_within},
        at=state.now,
    )
    # As the desk asks for a reassignment: the routing service's own use case carries it out.
    session.execute(
        update(EnquiryRow)
        .where(EnquiryRow.id == case.enquiry_id)
        .values(status="received", manager_id=None, accepted_at=None, routing_request=request_id)
    )
    done = reassign_case(
        session,
        enquiry_id=case.enquiry_id,
        request_id=request_id,
        previous_manager=previous,
        engine=state.engine,
        now=state.now,
        why=why,
        loads=loads,
    )
    row.to_manager = done.manager_id
    _moved(loads, previous, done.manager_id, state.now)
    enquiry = _case(session, case)
    if done.manager_id is None:  # reassign_case told the team with its triage notice
        why = f"{why}; nobody else eligible: triage"
        return Action(case.reference, "triage", previous, None, why, enquiry.site, done.outbox_ids)
    outbox = list(done.outbox_ids)
    site = session.get(SiteRow, enquiry.site or case.site or "")
    if site is not None:
        delivery_id, event_id = request_mail(
            session,
            enquiry=enquiry,
            kind="escalation",
            recipient=site.team_email,
            recipient_name=site.name,
        )
        row.delivery_id = delivery_id
        outbox.append(event_id)
    return Action(
        case.reference, "reassigned", previous, done.manager_id, why, enquiry.site, tuple(outbox)
    )


def _moved(loads: dict[str, Workload], old: str | None, new: str | None, now: dt.datetime) -> None:
    """The loads after a case moved from one manager to another, for the next decision."""
    if old is not None and old in loads:
        loads[old] = Workload(max(0, loads[old].open_cases - 1), loads[old].last_assigned)
    if new is not None:
        before = loads.get(new, Workload())
        loads[new] = Workload(before.open_cases + 1, now.timestamp())


def _remind_team(state: SweepState, case: Candidate, limits: Limits) -> Action:
    site = state.session.get(SiteRow, case.site) if case.site else None
    if site is None:
        raise LookupError(f"{case.reference}: no site {case.site!r} whose team to remind")
    row = _record(state, case, "triage_reminder", limits.triage_within)
    event_id = _tell(
        state,
        case,
        row,
        kind="triage_reminder",
        to=(site.team_email, site.name),
        action="triage_reminded",
        details={"site": site.code, "hours": limits.triage_within},
    )
    why = reason("triage_reminder", limits)
    return Action(case.reference, "triage_reminder", None, site.code, why, site.code, (event_id,))
