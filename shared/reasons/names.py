"""The directory's names for the ids a set of reasons quotes, read in one round trip."""

from __future__ import annotations

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from shared.db.models import ManagerRow, PartnerRow, SiteRow
from shared.reasons.render import Names, Refs


def load_names(session: Session, refs: Refs) -> Names:
    """Names of the managers, partners and sites in `refs`; no query when none is quoted."""
    parts = []
    if refs.managers:
        parts.append(
            select(literal("manager"), ManagerRow.id, ManagerRow.name).where(
                ManagerRow.id.in_(sorted(refs.managers))
            )
        )
    if refs.partners:
        parts.append(
            select(literal("partner"), PartnerRow.id, PartnerRow.name).where(
                PartnerRow.id.in_(sorted(refs.partners))
            )
        )
    if refs.sites:
        parts.append(
            select(literal("site"), SiteRow.code, SiteRow.name).where(
                SiteRow.code.in_(sorted(refs.sites))
            )
        )
    found: dict[str, dict[str, str]] = {"manager": {}, "partner": {}, "site": {}}
    if parts:
        for kind, key, name in session.connection().execute(union_all(*parts)):
            found[kind][key] = name
    return Names(found["manager"], found["partner"], found["site"])
