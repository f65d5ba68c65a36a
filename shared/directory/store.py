"""The directory in the database: import (upsert) from a file, export, read back."""

from __future__ import annotations

from typing import Any, Protocol

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import ManagerRow, MetaRow, PartnerRow, SiteRow
from shared.directory.model import Absence, Closure, Directory, Manager, Partner, Site

VERSION_KEY = "directory_version"


def import_directory(session: Session, directory: Directory) -> dict[str, int]:
    """Upserts every entry; entries not in the file stay (a manager's cases keep their id).

    Returns counts per section. Flushes, never commits.
    """
    for site in directory.sites:
        upsert_site(session, site)
    for manager in directory.managers:
        upsert_manager(session, manager)
    for partner in directory.partners:
        upsert_partner(session, partner)
    bump_version(session)
    session.flush()
    return {
        "sites": len(directory.sites),
        "managers": len(directory.managers),
        "partners": len(directory.partners),
    }


# One entry each, for the import and for the desk's forms; the caller bumps the version.


def upsert_site(session: Session, site: Site) -> None:
    row = session.get(SiteRow, site.code) or SiteRow(code=site.code)
    row.name, row.team_email, row.districts = site.name, site.team_email, list(site.districts)
    row.timezone = site.timezone
    row.hours = None if site.hours is None else {d: list(r) for d, r in site.hours.items()}
    row.closures = [{"from": c.start.isoformat(), "to": c.end.isoformat()} for c in site.closures]
    row.accept_within, row.triage_within = site.accept_within, site.triage_within
    session.add(row)


def upsert_manager(session: Session, manager: Manager) -> None:
    row = session.get(ManagerRow, manager.id) or ManagerRow(id=manager.id)
    row.name, row.email, row.site = manager.name, manager.email, manager.site
    row.languages, row.topics = list(manager.languages), list(manager.topics)
    row.capacity, row.active = manager.capacity, manager.active
    row.absences = [
        {"from": a.start.isoformat(), "to": a.end.isoformat()} for a in manager.absences
    ]
    session.add(row)


def upsert_partner(session: Session, partner: Partner) -> None:
    row = session.get(PartnerRow, partner.id) or PartnerRow(id=partner.id)
    row.name, row.email = partner.name, partner.email
    row.topics, row.target_groups = list(partner.topics), list(partner.target_groups)
    row.languages, row.districts = list(partner.languages), list(partner.districts)
    row.auto_refer = partner.auto_refer
    session.add(row)


def lock_directory(session: Session) -> None:
    """Holds the directory's version row until the transaction ends (PostgreSQL): edits
    checked against the whole directory then run one after the other, and no two of
    them write the same next version, which would leave the routing worker's engine
    unrebuilt after the second."""
    session.get(MetaRow, VERSION_KEY, with_for_update=True)


def bump_version(session: Session) -> None:
    row = session.get(MetaRow, VERSION_KEY, with_for_update=True) or MetaRow(
        key=VERSION_KEY, value="0"
    )
    row.value = str(int(row.value) + 1)
    session.add(row)


_VERSION = select(MetaRow.value).where(MetaRow.key == VERSION_KEY)


def directory_version(session: Session) -> str:
    """Asked before every routing decision: one statement, made once."""
    return session.connection().execute(_VERSION).scalar() or "0"


class SiteColumns(Protocol):
    """A `sites` row, as an ORM object or a plain row of its table."""

    code: str
    name: str
    team_email: str
    districts: list[str]
    timezone: str | None
    hours: dict[str, list[str]] | None
    closures: list[dict[str, str]]
    accept_within: float | None
    triage_within: float | None


def site_of_row(row: SiteColumns) -> Site:
    return Site(
        code=row.code,
        name=row.name,
        team_email=row.team_email,
        districts=tuple(row.districts),
        timezone=row.timezone,
        hours=None if row.hours is None else {d: tuple(r) for d, r in row.hours.items()},
        closures=tuple(Closure.model_validate(c) for c in row.closures or ()),
        accept_within=row.accept_within,
        triage_within=row.triage_within,
    )


def read_directory(session: Session) -> Directory:
    sites = [site_of_row(r) for r in session.scalars(select(SiteRow).order_by(SiteRow.code))]
    managers = [
        Manager(
            id=r.id,
            name=r.name,
            email=r.email,
            site=r.site,
            languages=tuple(r.languages),
            topics=tuple(r.topics),
            capacity=r.capacity,
            active=r.active,
            absences=tuple(Absence.model_validate(a) for a in r.absences),
        )
        for r in session.scalars(select(ManagerRow).order_by(ManagerRow.id))
    ]
    partners = [
        Partner(
            id=r.id,
            name=r.name,
            email=r.email,
            topics=tuple(r.topics),
            target_groups=tuple(r.target_groups),
            languages=tuple(r.languages),
            districts=tuple(r.districts),
            auto_refer=r.auto_refer,
        )
        for r in session.scalars(select(PartnerRow).order_by(PartnerRow.id))
    ]
    return Directory(sites=tuple(sites), managers=tuple(managers), partners=tuple(partners))


def directory_data(directory: Directory) -> dict[str, list[dict[str, Any]]]:
    """The directory as plain data in the import format (what the YAML file holds)."""

    def entry(model: Site | Manager | Partner) -> dict[str, Any]:
        # A site's optional calendar fields are written only when set.
        data = model.model_dump(mode="json", by_alias=True, exclude_none=isinstance(model, Site))
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}

    return {
        "sites": [entry(s) for s in directory.sites],
        "managers": [
            {k: v for k, v in entry(m).items() if k != "open_cases"} for m in directory.managers
        ],
        "partners": [entry(p) for p in directory.partners],
    }


def export_directory(directory: Directory) -> str:
    """The directory as YAML in the import format."""
    return yaml.safe_dump(directory_data(directory), allow_unicode=True, sort_keys=False)
