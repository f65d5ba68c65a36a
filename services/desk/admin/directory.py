"""Editing the directory in the desk: one site, manager or partner at a time, checked by
the same rules as `welcomedesk directory validate` against the whole directory, written
with a new directory version in the caller's transaction (the routing service then
builds its engine anew for the next enquiry). Never commits."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Final

import structlog
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.desk.admin.errors import EntryNotFoundError, require_admin
from services.desk.admin.faults import entry_faults
from services.desk.admin.fields import FORMS, KEYS
from services.desk.staff import Staff
from shared.db.models import EnquiryRow, SiteRow
from shared.directory.loader import check_directory
from shared.directory.model import Manager, Partner, Site
from shared.directory.store import (
    bump_version,
    directory_data,
    directory_version,
    lock_directory,
    read_directory,
    upsert_manager,
    upsert_partner,
    upsert_site,
)
from shared.region import load_region
from shared.vocabulary import OPEN_STATUSES

SECTIONS: Final = ("sites", "managers", "partners")
log = structlog.get_logger(__name__)
Data = dict[str, list[dict[str, Any]]]


@functools.cache
def region_districts() -> frozenset[str]:
    return load_region().districts


@dataclass(frozen=True)
class DirectoryView:
    data: Data  # as the directory file has it
    open_cases: dict[str, int]  # per manager: what counts against the capacity
    version: str


def current_data(session: Session) -> Data:
    """The directory as plain data; an empty database has no site yet, which the model
    (at least one site) would refuse to read."""
    if session.scalar(select(SiteRow.code).limit(1)) is None:
        return {section: [] for section in SECTIONS}
    return directory_data(read_directory(session))


def export_text(session: Session) -> str:
    """What `welcomedesk directory export` writes (and an empty file for an empty one)."""
    return yaml.safe_dump(current_data(session), allow_unicode=True, sort_keys=False)


def open_cases(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(EnquiryRow.manager_id, func.count())
        .where(EnquiryRow.status.in_(OPEN_STATUSES), EnquiryRow.manager_id.is_not(None))
        .group_by(EnquiryRow.manager_id)
    )
    return {str(manager_id): int(count) for manager_id, count in rows}


def read_directory_view(session: Session) -> DirectoryView:
    return DirectoryView(current_data(session), open_cases(session), directory_version(session))


def entry_values(session: Session, section: str, entry_id: str) -> dict[str, Any]:
    """One entry as plain data, for its form."""
    key = KEYS.get(section)
    for entry in current_data(session).get(section, []):
        if key is not None and entry.get(key) == entry_id:
            return entry
    raise EntryNotFoundError(f"no {section[:-1]} {entry_id[:64]!r} in the directory")


def _write(session: Session, entry: Site | Manager | Partner) -> None:
    if isinstance(entry, Site):
        upsert_site(session, entry)
    elif isinstance(entry, Manager):
        upsert_manager(session, entry)
    else:
        upsert_partner(session, entry)
    bump_version(session)
    session.flush()


def _save(
    session: Session, staff: Staff, section: str, entry_id: str | None, values: dict[str, Any]
) -> str:
    if section not in SECTIONS:
        raise EntryNotFoundError(f"no section {section[:20]!r} in the directory")
    lock_directory(session)  # before reading what the edit is checked against
    data = current_data(session)
    entries = data[section]
    key = KEYS[section]
    if entry_id is not None:
        index = next((i for i, e in enumerate(entries) if e.get(key) == entry_id), None)
        if index is None:
            raise EntryNotFoundError(f"no {section[:-1]} {entry_id[:64]!r} in the directory")
        # Fields the form does not show are kept as they are.
        values = {**entries.pop(index), **values, key: entry_id}
    # Last in its section: a fault between two entries (a district both sites claim) is
    # then reported at the one being edited.
    entries.append(values)
    directory, faults = check_directory(data, region_districts())
    if directory is None:
        rows = [f.name for f in FORMS[section] if f.kind == "dates"]
        raise entry_faults(faults, section=section, index=len(entries) - 1, data=data, rows=rows)
    entry: Site | Manager | Partner = getattr(directory, section)[-1]
    _write(session, entry)
    saved = str(getattr(entry, key))
    log.info(
        "directory_changed",
        section=section,
        entry=saved,
        created=entry_id is None,
        staff_id=staff.id,
    )
    return saved


def save_entry(
    session: Session,
    *,
    staff: Staff,
    section: str,
    entry_id: str | None,
    values: dict[str, Any],
) -> str:
    """Creates (`entry_id` None) or changes one entry; returns its code or id. Nothing is
    written when anything is wrong: InvalidEntryError names each field."""
    require_admin(staff)
    return _save(session, staff, section, entry_id, values)


def save_own_absences(session: Session, *, staff: Staff, absences: list[dict[str, str]]) -> str:
    """A manager's own absences (from, to), checked like every directory edit."""
    if staff.manager_id is None:
        raise EntryNotFoundError("this account is not a manager of the directory")
    current = entry_values(session, "managers", staff.manager_id)
    return _save(session, staff, "managers", staff.manager_id, {**current, "absences": absences})
