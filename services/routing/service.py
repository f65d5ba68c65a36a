"""Routing use case: decide an enquiry against the directory and live loads, store the
decision with its reasons and emit `enquiry.routed`. One transaction.

Its statements are Core, compiled once: a decision costs a few round trips and
little Python besides the engine's own work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, literal_column, or_, select, update
from sqlalchemy.orm import Session

from services.routing.engine import Decision, RoutingEngine
from services.routing.policy import Workload
from shared.db.models import EnquiryRow, MetaRow, ReferralRow, utcnow
from shared.enquiry import EnquiryFields
from shared.events import EnquiryRouted
from shared.history import ROUTING, record
from shared.messaging.outbox import add_event
from shared.statistics.facts import open_case_facts
from shared.vocabulary import OPEN_STATUSES

OPEN = OPEN_STATUSES  # what counts against capacity: closing frees a place at once
LOCK_KEY = "routing_lock"

_ENQUIRIES = cast(Table, EnquiryRow.__table__)
_FIELDS = tuple(EnquiryFields.model_fields)
_READ = select(
    _ENQUIRIES.c.reference,
    _ENQUIRIES.c.correlation_id,
    _ENQUIRIES.c.routed_at,
    _ENQUIRIES.c.manager_id,
    *(_ENQUIRIES.c[name] for name in _FIELDS),
).where(_ENQUIRIES.c.id == bindparam("key"))
_ROUTED_AT = select(_ENQUIRIES.c.routed_at, _ENQUIRIES.c.manager_id).where(
    _ENQUIRIES.c.id == bindparam("key")
)
# PostgreSQL: the lock and the fresh look at the row in one round trip.
_LOCK_AND_READ = select(
    literal_column("pg_advisory_xact_lock(4242001)").label("locked"),
    _ENQUIRIES.c.routed_at,
    _ENQUIRIES.c.manager_id,
).where(_ENQUIRIES.c.id == bindparam("key"))
_LOADS = (
    select(_ENQUIRIES.c.manager_id, func.count(), func.max(_ENQUIRIES.c.assigned_at))
    .where(_ENQUIRIES.c.status.in_(OPEN), _ENQUIRIES.c.manager_id.is_not(None))
    .group_by(_ENQUIRIES.c.manager_id)
)
_PREVIOUS = (
    select(_ENQUIRIES.c.manager_id)
    .where(
        _ENQUIRIES.c.email == bindparam("email"),
        _ENQUIRIES.c.id != bindparam("key"),
        _ENQUIRIES.c.manager_id.is_not(None),
        or_(_ENQUIRIES.c.status.in_(OPEN), _ENQUIRIES.c.closed_at >= bindparam("since")),
    )
    .order_by(_ENQUIRIES.c.received_at.desc())
    .limit(1)
)
_STORE = update(_ENQUIRIES).where(_ENQUIRIES.c.id == bindparam("key"))
_REFER = insert(cast(Table, ReferralRow.__table__))


@dataclass(frozen=True)
class Routed:
    reference: str
    outcome: str  # assigned, triage, or already (a redelivered event)
    manager_id: str | None
    outbox_ids: tuple[int, ...]
    event: EnquiryRouted | None = None  # for the worker to publish once committed


def lock_routing(session: Session, enquiry_id: int) -> tuple[Any, str | None]:
    """Serialises decisions, so two workers never read the same loads and both assign;
    returns the enquiry's routed_at and manager as they are once the lock is held."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        row = connection.execute(_LOCK_AND_READ, {"key": enquiry_id}).one()
        return row.routed_at, row.manager_id
    # SQLite: a write takes the database's write lock before anything is read.
    if session.get(MetaRow, LOCK_KEY) is None:
        session.add(MetaRow(key=LOCK_KEY, value="0"))
        session.flush()
    session.execute(update(MetaRow).where(MetaRow.key == LOCK_KEY).values(value=MetaRow.value))
    row = connection.execute(_ROUTED_AT, {"key": enquiry_id}).one()
    return row.routed_at, row.manager_id


def current_loads(session: Session) -> dict[str, Workload]:
    loads: dict[str, Workload] = {}
    for manager_id, count, last in session.connection().execute(_LOADS):
        if manager_id is not None:
            loads[manager_id] = Workload(count, last.timestamp() if last else None)
    return loads


def previous_manager(
    session: Session, *, email: str | None, exclude_id: int, now: dt.datetime, days: int
) -> str | None:
    """The manager of this enquirer's open case, or of one closed in the last `days`."""
    if not email:
        return None
    since = now - dt.timedelta(days=days)
    found = session.connection().execute(
        _PREVIOUS, {"email": email.lower(), "key": exclude_id, "since": since}
    )
    return cast(str | None, found.scalar())


def route_enquiry(
    session: Session,
    *,
    enquiry_id: int,
    engine: RoutingEngine,
    person_key: bytes,
    now: dt.datetime | None = None,
    continuity_days: int = 90,
) -> Routed:
    """Decides once: a redelivered event finds the decision made and does nothing.
    The case's statistics facts open with the decision; `person_key` hashes the enquirer."""
    now = now or utcnow()
    row = session.connection().execute(_READ, {"key": enquiry_id}).first()
    if row is None:
        raise LookupError(f"enquiry {enquiry_id} does not exist")
    if row.routed_at is not None:
        return Routed(row.reference, "already", row.manager_id, ())
    # Validated at intake: read back as it was stored, without validating again.
    fields = EnquiryFields.model_construct(**{name: row._mapping[name] for name in _FIELDS})
    # Reading the text is most of the work and depends on nothing that changes: it
    # happens before the lock, so that several workers read enquiries side by side.
    understanding = engine.reader.read(fields)
    routed_at, manager_id = lock_routing(session, enquiry_id)
    if routed_at is not None:  # another worker decided while this one read
        return Routed(row.reference, "already", manager_id, ())
    decision = engine.decide(
        fields,
        day=now.date(),
        loads=current_loads(session),
        previous_manager=previous_manager(
            session, email=fields.email, exclude_id=enquiry_id, now=now, days=continuity_days
        ),
        understanding=understanding,
    )
    connection = session.connection()
    connection.execute(_STORE, {"key": enquiry_id, **_decision_values(decision, now)})
    record(
        connection,
        enquiry_id=enquiry_id,
        actor=ROUTING,
        action="routed" if decision.manager is not None else "triage",
        details=_history_details(decision),
        at=now,
    )
    referral = decision.suggestion.referral
    if referral is not None:
        connection.execute(
            _REFER,
            {
                "enquiry_id": enquiry_id,
                "partner_id": referral.id,
                "requested_by": "auto",
                "created_at": now,
            },
        )
    open_case_facts(
        connection,
        enquiry_id=enquiry_id,
        person_key=person_key,
        partners=(referral.id,) if referral is not None else (),
    )
    event = EnquiryRouted(row.correlation_id, enquiry_id=enquiry_id)
    event_id = add_event(session, event, by_producer=True)
    outcome = "assigned" if decision.manager is not None else "triage"
    return Routed(row.reference, outcome, decision.manager, (event_id,), event)


def _history_details(decision: Decision) -> dict[str, Any]:
    details: dict[str, Any] = {"to": decision.manager, "site": decision.understanding.site}
    if decision.manager is None:
        details["site"] = decision.understanding.site or decision.triage_site
    if decision.suggestion.referral is not None:
        details["auto_referral"] = decision.suggestion.referral.id
    return details


def _decision_values(decision: Decision, now: dt.datetime) -> dict[str, Any]:
    u = decision.understanding
    values: dict[str, Any] = {
        "routed_at": now,
        "language": u.language,
        "understood_type": u.requester_type,
        "topics": list(u.topics),
        "district": u.district,
        "site": u.site or decision.triage_site,
        "needs_interpreter": decision.assignment.needs_interpreter,
        "reasons": list(decision.reasons),
        "excluded": [{"manager": e.manager, "why": e.why} for e in decision.assignment.excluded],
        "suggested_partners": [p.id for p in decision.suggestion.partners],
        "status": "triage",
    }
    if decision.manager is not None:
        values.update(status="assigned", manager_id=decision.manager, assigned_at=now)
    return values
