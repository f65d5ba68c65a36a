"""Routing use case: decide an enquiry against the directory and live loads, store the
decision with its reasons, and ask for the mails. One transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from services.routing.engine import Decision, RoutingEngine
from services.routing.policy import Workload
from shared.db.models import EnquiryRow, MetaRow, ReferralRow, utcnow
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.mail_requests import request_mail

OPEN = ("assigned",)
LOCK_KEY = "routing_lock"


@dataclass(frozen=True)
class Routed:
    reference: str
    outcome: str  # assigned, triage, or already (a redelivered event)
    manager_id: str | None
    outbox_ids: tuple[int, ...]


def lock_routing(session: Session) -> None:
    """Serialises decisions, so two workers never read the same loads and both assign."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        return
    # SQLite: a write takes the database's write lock before anything is read.
    if session.get(MetaRow, LOCK_KEY) is None:
        session.add(MetaRow(key=LOCK_KEY, value="0"))
        session.flush()
    session.execute(update(MetaRow).where(MetaRow.key == LOCK_KEY).values(value=MetaRow.value))


def current_loads(session: Session) -> dict[str, Workload]:
    rows = session.execute(
        select(EnquiryRow.manager_id, func.count(), func.max(EnquiryRow.assigned_at))
        .where(EnquiryRow.status.in_(OPEN), EnquiryRow.manager_id.is_not(None))
        .group_by(EnquiryRow.manager_id)
    )
    loads: dict[str, Workload] = {}
    for manager_id, count, last in rows:
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
    return session.scalar(
        select(EnquiryRow.manager_id)
        .where(
            EnquiryRow.email == email.lower(),
            EnquiryRow.id != exclude_id,
            EnquiryRow.manager_id.is_not(None),
            or_(EnquiryRow.status.in_(OPEN), EnquiryRow.closed_at >= since),
        )
        .order_by(EnquiryRow.received_at.desc())
        .limit(1)
    )


def _fields(row: EnquiryRow) -> EnquiryFields:
    return EnquiryFields.model_validate(
        {c: getattr(row, c) for c in EnquiryFields.model_fields if c != "channel"}
    )


def route_enquiry(
    session: Session,
    *,
    enquiry_id: int,
    engine: RoutingEngine,
    now: dt.datetime | None = None,
    continuity_days: int = 90,
) -> Routed:
    """Decides once: a redelivered event finds the decision made and does nothing."""
    now = now or utcnow()
    lock_routing(session)
    row = session.get(EnquiryRow, enquiry_id)
    if row is None:
        raise LookupError(f"enquiry {enquiry_id} does not exist")
    assert row.reference is not None
    if row.routed_at is not None:
        return Routed(row.reference, "already", row.manager_id, ())
    fields = _fields(row)
    decision = engine.decide(
        fields,
        day=now.date(),
        loads=current_loads(session),
        previous_manager=previous_manager(
            session, email=row.email, exclude_id=row.id, now=now, days=continuity_days
        ),
    )
    _store(row, decision, now)
    outbox_ids = _request_mails(session, row, decision, engine.directory)
    return Routed(row.reference, row.status, row.manager_id, tuple(outbox_ids))


def _store(row: EnquiryRow, decision: Decision, now: dt.datetime) -> None:
    u = decision.understanding
    row.routed_at = now
    row.language = u.language
    row.understood_type = u.requester_type
    row.topics = list(u.topics)
    row.district = u.district
    row.site = u.site or decision.triage_site
    row.needs_interpreter = decision.assignment.needs_interpreter
    row.reasons = list(decision.reasons)
    row.excluded = [{"manager": e.manager, "why": e.why} for e in decision.assignment.excluded]
    row.suggested_partners = [p.id for p in decision.suggestion.partners]
    if decision.manager is not None:
        row.status = "assigned"
        row.manager_id = decision.manager
        row.assigned_at = now
    else:
        row.status = "triage"


def _request_mails(
    session: Session, row: EnquiryRow, decision: Decision, directory: Directory
) -> list[int]:
    """The mails a decision calls for; addresses come from the directory in memory."""
    wanted: list[tuple[str, str, str | None, str | None]] = []  # kind, to, name, partner
    if row.email:
        wanted.append(("confirmation", row.email, row.name, None))
    manager = next((m for m in directory.managers if m.id == decision.manager), None)
    site = directory.site(row.site) if row.site else None
    if manager is not None:
        wanted.append(("manager", manager.email, manager.name, None))
    elif site is not None:
        wanted.append(("triage", site.team_email, site.name, None))
    referral = decision.suggestion.referral
    if referral is not None:
        session.add(ReferralRow(enquiry_id=row.id, partner_id=referral.id, requested_by="auto"))
        wanted.append(("referral", referral.email, referral.name, referral.id))
    return [
        request_mail(
            session, enquiry=row, kind=kind, recipient=to, recipient_name=name, partner_id=partner
        )[1]
        for kind, to, name, partner in wanted
    ]
