"""The directory's names for ids, so that pages and answers say "Ana Costa", not "m-01"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import ManagerRow, PartnerRow, SiteRow


@dataclass(frozen=True)
class Names:
    managers: dict[str, str]
    partners: dict[str, str]
    sites: dict[str, str]

    def manager(self, manager_id: str | None) -> str | None:
        if manager_id is None:
            return None
        return self.managers.get(manager_id, manager_id)

    def partner(self, partner_id: str) -> str:
        return self.partners.get(partner_id, partner_id)

    def site(self, code: str | None) -> str | None:
        return None if code is None else self.sites.get(code, code)

    def in_text(self, text: str) -> str:
        """A routing reason with each manager or partner id named ("Ana Costa (m-01)")."""
        known = {**self.partners, **self.managers}
        if not known:
            return text
        pattern = _pattern(tuple(sorted(known, key=len, reverse=True)))
        return pattern.sub(lambda m: f"{known[m.group(0)]} ({m.group(0)})", text)


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    found = _PATTERNS.get(ids)
    if found is None:
        alternatives = "|".join(re.escape(i) for i in ids)
        found = _PATTERNS[ids] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return found


@dataclass(frozen=True)
class Manager:
    id: str
    name: str
    site: str
    active: bool


@dataclass(frozen=True)
class Directory:
    """The directory as the case page shows it: names for ids, the managers by site and
    name, the partners by name; read once for the page."""

    names: Names
    managers: list[Manager]
    partners: list[tuple[str, str]]  # id, name


def read_directory(session: Session) -> Directory:
    managers = [
        Manager(*row)
        for row in session.execute(
            select(ManagerRow.id, ManagerRow.name, ManagerRow.site, ManagerRow.active).order_by(
                ManagerRow.site, ManagerRow.name
            )
        )
    ]
    partners = [
        (pid, name)
        for pid, name in session.execute(
            select(PartnerRow.id, PartnerRow.name).order_by(PartnerRow.name)
        )
    ]
    names = Names(
        managers={m.id: m.name for m in managers},
        partners=dict(partners),
        sites=dict(session.execute(select(SiteRow.code, SiteRow.name)).all()),
    )
    return Directory(names, managers, partners)


def read_names(session: Session) -> Names:
    """Only the names, where the rest of the directory is not needed."""
    return read_directory(session).names
