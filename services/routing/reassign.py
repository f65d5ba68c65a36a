"""Reassignment: a case goes to the next manager the policy picks, never back to the one
it leaves. Staff ask for it through the desk (an event); one transaction carries it out.

The case keeps what was understood of it (corrections included): only the choice of
manager is made again, against today's loads and absences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from services.routing.engine import Decision, RoutingEngine
from services.routing.policy import Workload
from services.routing.service import current_loads, lock_routing
from shared.db.models import EnquiryRow, ManagerRow, SiteRow, utcnow
from shared.enquiry import EnquiryFields
from shared.history import ROUTING, record
from shared.mail_requests import request_mail
from shared.statistics.facts import refresh_case_facts

_ENQUIRIES = cast(Table, EnquiryRow.__table__)
_FIELDS = tuple(name for name in EnquiryFields.model_fields if name != "channel")
_READ = select(
    _ENQUIRIES.c.reference,
    _ENQUIRIES.c.status,
    _ENQUIRIES.c.routing_request,
    _ENQUIRIES.c.language,
    _ENQUIRIES.c.topics,
    _ENQUIRIES.c.district,
    _ENQUIRIES.c.site,
    _ENQUIRIES.c.understood_type,
    *(_ENQUIRIES.c[name] for name in _FIELDS),
).where(_ENQUIRIES.c.id == bindparam("key"))


@dataclass(frozen=True)
class Reassigned:
    reference: str
    outcome: str  # assigned, triage, or already (nothing pending: a redelivered event)
    manager_id: str | None
    outbox_ids: tuple[int, ...] = ()


def reassign_case(
    session: Session,
    *,
    enquiry_id: int,
    request_id: int,
    previous_manager: str | None,
    engine: RoutingEngine,
    now: dt.datetime | None = None,
    why: str | None = None,
    loads: Mapping[str, Workload] | None = None,
) -> Reassigned:
    """Carries out the reassignment that history entry `request_id` asked for, once.

    `why` leads the case's reasons (an escalation says it was not accepted in time);
    `loads` are the managers' loads when the caller keeps them across several cases."""
    now = now or utcnow()
    lock_routing(session, enquiry_id)
    row = session.connection().execute(_READ, {"key": enquiry_id}).first()
    if row is None:
        raise LookupError(f"enquiry {enquiry_id} does not exist")
    if row.routing_request != request_id or row.status != "received":
        return Reassigned(row.reference, "already", None)
    fields = EnquiryFields.model_construct(**{name: row._mapping[name] for name in _FIELDS})
    read = engine.reader.read(fields)
    understanding = replace(
        read,
        language=row.language or read.language,
        requester_type=row.understood_type or read.requester_type,
        topics=tuple(row.topics or ()) or read.topics,
        district=row.district,
        site=row.site or read.site,
    )
    decision = engine.decide(
        fields,
        day=now.date(),
        loads=current_loads(session) if loads is None else loads,
        understanding=understanding,
        not_to=frozenset({previous_manager}) if previous_manager else frozenset(),
    )
    connection = session.connection()
    connection.execute(
        update(_ENQUIRIES)
        .where(_ENQUIRIES.c.id == enquiry_id)
        .values(**_values(decision, previous_manager, now, why))
    )
    record(
        connection,
        enquiry_id=enquiry_id,
        actor=ROUTING,
        action="reassigned" if decision.manager else "triage",
        details={"from": previous_manager, "to": decision.manager, "request": request_id},
        at=now,
    )
    refresh_case_facts(connection, enquiry_id=enquiry_id)
    case = session.get(EnquiryRow, enquiry_id)
    assert case is not None
    session.refresh(case)
    if decision.manager is not None:
        manager = session.get(ManagerRow, decision.manager)
        assert manager is not None
        _, event_id = request_mail(
            session,
            enquiry=case,
            kind="manager",
            recipient=manager.email,
            recipient_name=manager.name,
        )
        return Reassigned(row.reference, "assigned", decision.manager, (event_id,))
    site = session.get(SiteRow, case.site) if case.site else None
    if site is None:
        return Reassigned(row.reference, "triage", None)
    _, event_id = request_mail(
        session, enquiry=case, kind="triage", recipient=site.team_email, recipient_name=site.name
    )
    return Reassigned(row.reference, "triage", None, (event_id,))


def _values(
    decision: Decision, previous: str | None, now: dt.datetime, why: str | None
) -> dict[str, Any]:
    away = f"reassigned: not back to {previous}" if previous else "reassigned"
    values: dict[str, Any] = {
        "routing_request": None,
        "accepted_at": None,
        "needs_interpreter": decision.assignment.needs_interpreter,
        "reasons": [*([why] if why else []), away, *decision.assignment.reasons],
        "excluded": [{"manager": e.manager, "why": e.why} for e in decision.assignment.excluded],
        "version": _ENQUIRIES.c.version + 1,
    }
    if decision.manager is not None:
        values.update(status="assigned", manager_id=decision.manager, assigned_at=now)
    else:
        values.update(
            status="triage",
            manager_id=None,
            site=decision.understanding.site or decision.triage_site,
        )
    return values
