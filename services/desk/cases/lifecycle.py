"""The case lifecycle: accept, take, reassign, refer, note, close, reopen.

Each is one use case in the caller's transaction (the route or page commits): it checks
who acts and the case's version, writes the change with its history entry, and adds the
events it calls for (a mail, a reassignment by the routing policy) to the outbox, which
the relay publishes once committed. Nothing here sends mail or talks to the broker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.desk.cases.access import find_case, is_owner
from services.desk.cases.errors import (
    ActionRefusedError,
    CaseNotFoundError,
    ForbiddenError,
    InvalidInputError,
    StaleVersionError,
    VersionRequiredError,
)
from services.desk.staff import Staff
from shared.db.models import (
    CaseMessageRow,
    EnquiryRow,
    ManagerRow,
    PartnerRow,
    ReferralRow,
    utcnow,
)
from shared.directory.model import Absence
from shared.events import ReassignmentRequested
from shared.history import record
from shared.mail_requests import request_mail, request_referral
from shared.messaging.outbox import add_event
from shared.statistics.facts import refresh_case_facts
from shared.vocabulary import OPEN_STATUSES, OUTCOMES

MAX_NOTE = 20_000
MAX_REASON = 1_000
CHANGEABLE = ("triage", *OPEN_STATUSES)


@dataclass(frozen=True)
class Changed:
    case: EnquiryRow
    done: str  # what happened, as a history action code
    outbox_ids: tuple[int, ...] = ()


def committed(session: Session, change: Callable[[], Changed]) -> Changed:
    """Runs one change in the transaction the caller's sign-in check began, and commits
    it; whatever it raises, it rolls back. One transaction: the session's connection is
    taken from the pool once."""
    try:
        changed = change()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return changed


def checked(case: EnquiryRow, version: int | None) -> None:
    if version is None:
        raise VersionRequiredError()
    if version != case.version:
        raise StaleVersionError(str(case.reference), version, case.version)


def not_anonymised(case: EnquiryRow) -> None:
    """Nothing can be added to a case whose enquirer's data was removed: it can only be
    closed (an erased open case waits for its outcome)."""
    if case.anonymised_at is not None:
        raise ActionRefusedError(
            f"{case.reference}: the enquirer's personal data was removed; the case can only "
            "be closed"
        )


def owned(staff: Staff, case: EnquiryRow, doing: str) -> None:
    if not is_owner(staff, case):
        if case.status == "triage":
            raise ForbiddenError(
                f"{case.reference} waits in triage: take it first, then {doing} it"
            )
        raise ForbiddenError(f"only the case's manager or an administrator may {doing} it")


def history(
    session: Session,
    case: EnquiryRow,
    staff: Staff,
    action: str,
    text: str | None = None,
    **details: object,
) -> int:
    """Records the change and brings the case's statistics facts up to date with it: every
    change of a case goes through here, in its transaction."""
    session.flush()
    entry = record(
        session.connection(),
        enquiry_id=case.id,
        actor=staff.actor,
        action=action,
        details=dict(details),
        text=text,
    )
    refresh_case_facts(session.connection(), enquiry_id=case.id)
    return entry


def clean_text(value: str | None, field: str, limit: int, *, required: bool) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInputError(f"{field}: write something", field=field)
        return None
    if len(text) > limit:
        raise InvalidInputError(f"{field}: at most {limit} characters", field=field)
    if "\x00" in text:
        raise InvalidInputError(f"{field}: contains a NUL character", field=field)
    return text


def accept(session: Session, *, staff: Staff, reference: str, version: int | None) -> Changed:
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    owned(staff, case, "accept")
    if case.status != "assigned":
        raise ActionRefusedError(
            f"{case.reference} is {case.status}: only a case assigned and not yet accepted "
            "can be accepted"
        )
    case.status = "accepted"
    case.accepted_at = utcnow()
    case.version += 1
    history(session, case, staff, "accepted")
    return Changed(case, "accepted")


def take(session: Session, *, staff: Staff, reference: str, version: int | None) -> Changed:
    """A manager takes a case from their site's triage queue: it is theirs, accepted."""
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    if case.status != "triage":
        raise ActionRefusedError(f"{case.reference} is not in triage (it is {case.status})")
    if staff.manager_id is None:
        raise ForbiddenError(
            "only a manager can take a case; as an administrator, reassign it to one"
        )
    now = utcnow()
    case.status = "accepted"
    case.manager_id = staff.manager_id
    case.assigned_at = now
    case.accepted_at = now
    case.version += 1
    history(session, case, staff, "taken", to=staff.manager_id)
    return Changed(case, "taken")


def _open_cases(session: Session, manager_id: str) -> int:
    count = session.scalar(
        select(func.count()).where(
            EnquiryRow.manager_id == manager_id, EnquiryRow.status.in_(OPEN_STATUSES)
        )
    )
    return count or 0


def _eligible(session: Session, manager: ManagerRow, day: dt.date) -> str | None:
    """Why the manager cannot take a case today, or None."""
    if not manager.active:
        return f"{manager.name} is not active"
    for absence in manager.absences:
        away = Absence.model_validate(absence)
        if away.covers(day):
            return f"{manager.name} is absent until {away.end.isoformat()}"
    open_cases = _open_cases(session, manager.id)
    if open_cases >= manager.capacity:
        return f"{manager.name} is at capacity ({open_cases}/{manager.capacity} open)"
    return None


def reassign(
    session: Session,
    *,
    staff: Staff,
    reference: str,
    version: int | None,
    manager_id: str | None,
    reason: str | None = None,
) -> Changed:
    """To a named manager at once, or (None) to the next one the routing policy picks,
    never back to the same one: the routing service decides that and mails the new manager."""
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    if case.status == "triage" and not staff.is_admin:
        raise ForbiddenError(
            f"{case.reference} waits in triage: take it, or ask an administrator to assign it"
        )
    owned(staff, case, "reassign")
    if case.status not in CHANGEABLE:
        raise ActionRefusedError(f"{case.reference} is {case.status}: reopen it first")
    why = clean_text(reason, "reason", MAX_REASON, required=False)
    previous = case.manager_id
    if manager_id is None:
        case.status = "received"
        case.manager_id = None
        case.accepted_at = None
        case.version += 1
        request_id = history(
            session, case, staff, "reassign_requested", text=why, **{"from": previous}
        )
        case.routing_request = request_id
        event = ReassignmentRequested(
            case.correlation_id,
            enquiry_id=case.id,
            request_id=request_id,
            previous_manager=previous,
        )
        return Changed(case, "reassign_requested", (add_event(session, event),))
    if manager_id == previous:
        raise ActionRefusedError(
            f"{case.reference} is with {manager_id} already", field="manager_id"
        )
    manager = session.get(ManagerRow, manager_id) if len(manager_id) <= 64 else None
    if manager is None:
        raise InvalidInputError(f"manager_id: no manager {manager_id!r}", field="manager_id")
    refused = _eligible(session, manager, utcnow().date())
    if refused is not None:
        raise ActionRefusedError(refused, field="manager_id")
    now = utcnow()
    case.status = "assigned"
    case.manager_id = manager.id
    case.assigned_at = now
    case.accepted_at = None
    case.version += 1
    history(session, case, staff, "reassigned", text=why, to=manager.id, **{"from": previous})
    _, event_id = request_mail(
        session, enquiry=case, kind="manager", recipient=manager.email, recipient_name=manager.name
    )
    return Changed(case, "reassigned", (event_id,))


def refer(
    session: Session,
    *,
    staff: Staff,
    reference: str,
    partner_id: str,
    version: int | None = None,
) -> Changed:
    """Sends the partner the minimal referral mail. Only the case's manager or an
    administrator may; for anyone else the case does not exist."""
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    if not is_owner(staff, case):
        raise CaseNotFoundError(f"no case {case.reference}")
    if version is not None:
        checked(case, version)
    partner = session.get(PartnerRow, partner_id) if len(partner_id) <= 64 else None
    if partner is None:
        raise InvalidInputError(f"partner_id: no partner {partner_id!r}", field="partner_id")
    if not case.consent_referral:
        raise ActionRefusedError(
            "the enquirer has not consented to forwarding their enquiry to a partner"
        )
    if case.status not in CHANGEABLE:
        raise ActionRefusedError(f"{case.reference} is {case.status}: nothing is referred")
    earlier = session.scalar(
        select(ReferralRow.id).where(
            ReferralRow.enquiry_id == case.id, ReferralRow.partner_id == partner.id
        )
    )
    if earlier is not None:
        return Changed(case, "already_referred")  # a repeated request sends nothing again
    session.add(
        ReferralRow(
            enquiry_id=case.id, partner_id=partner.id, requested_by=staff.manager_id or staff.actor
        )
    )
    history(session, case, staff, "referred", partner=partner.id)
    # The partner's mail, and a notice telling the enquirer who got which of their data.
    return Changed(case, "referred", request_referral(session, enquiry=case, partner=partner))


def add_note(session: Session, *, staff: Staff, reference: str, text: str | None) -> Changed:
    """An internal note on the thread: never mailed to anyone."""
    case = find_case(session, staff, reference)
    not_anonymised(case)
    body = clean_text(text, "text", MAX_NOTE, required=True)
    session.add(
        CaseMessageRow(
            enquiry_id=case.id,
            direction="internal",
            kind="note",
            received_at=utcnow(),
            sender=staff.actor,
            text=body or "",
            author_id=staff.id,
        )
    )
    history(session, case, staff, "note_added")
    return Changed(case, "note_added")


def close(
    session: Session, *, staff: Staff, reference: str, version: int | None, outcome: str | None
) -> Changed:
    case = find_case(session, staff, reference, lock=True)
    checked(case, version)
    if outcome not in OUTCOMES:
        raise InvalidInputError(
            f"outcome: {outcome!r} is not an outcome (one of {', '.join(OUTCOMES)})",
            field="outcome",
        )
    owned(staff, case, "close")
    if case.status not in CHANGEABLE:
        raise ActionRefusedError(f"{case.reference} is {case.status} already")
    before = case.status
    case.status = "closed"
    case.outcome = outcome
    case.closed_at = utcnow()
    case.version += 1
    history(session, case, staff, "closed", outcome=outcome, **{"from": before})
    return Changed(case, "closed")


def reopen(session: Session, *, staff: Staff, reference: str, version: int | None) -> Changed:
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    owned(staff, case, "reopen")
    if case.status != "closed":
        raise ActionRefusedError(f"{case.reference} is {case.status}, not closed")
    case.status = "accepted" if case.manager_id else "triage"
    case.closed_at = None
    case.outcome = None
    case.version += 1
    history(session, case, staff, "reopened", to=case.status)
    return Changed(case, "reopened")
