"""Who sees which case: the one filter every case query goes through.

A manager sees their own cases and their site's triage queue; an administrator sees
everything. Any other case does not exist for them (404).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from services.desk.cases.errors import CaseNotFoundError
from services.desk.staff import Staff
from shared.db.models import EnquiryRow

MAX_REFERENCE = 32


def own_cases(staff: Staff) -> ColumnElement[bool]:
    """The cases whose manager this person is."""
    if staff.manager_id is None:
        return false()
    return EnquiryRow.manager_id == staff.manager_id


def site_triage(staff: Staff) -> ColumnElement[bool]:
    """Their site's triage queue."""
    if staff.site is None:
        return false()
    return and_(EnquiryRow.status == "triage", EnquiryRow.site == staff.site)


def visible(staff: Staff) -> ColumnElement[bool]:
    if staff.is_admin:
        return true()
    seen: list[ColumnElement[bool]] = []
    if staff.manager_id is not None:
        seen.append(own_cases(staff))
    if staff.site is not None:
        seen.append(site_triage(staff))
    return or_(*seen) if seen else false()


def normalise_reference(reference: str) -> str | None:
    reference = reference.strip().upper()
    if not reference or len(reference) > MAX_REFERENCE or "\x00" in reference:
        return None
    return reference


def find_case(session: Session, staff: Staff, reference: str, *, lock: bool = False) -> EnquiryRow:
    """The case if this person may see it; `lock` holds its row until the transaction ends
    (PostgreSQL), so that two changes of one case run one after the other."""
    wanted = normalise_reference(reference)
    if wanted is None:
        raise CaseNotFoundError(f"no case {reference[:MAX_REFERENCE]!r}")
    query = select(EnquiryRow).where(EnquiryRow.reference == wanted, visible(staff))
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=EnquiryRow)
    case = session.scalar(query)
    if case is None:
        raise CaseNotFoundError(f"no case {wanted}")
    return case


def is_owner(staff: Staff, case: EnquiryRow) -> bool:
    """The case's manager or an administrator: who may change it."""
    return staff.is_admin or (staff.manager_id is not None and case.manager_id == staff.manager_id)
