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


_EVERY_NAME = union_all(
    select(literal("manager"), ManagerRow.id, ManagerRow.name),
    select(literal("partner"), PartnerRow.id, PartnerRow.name),
    select(literal("site"), SiteRow.code, SiteRow.name),
)


class DirectoryNames:
    """Every name in the directory, held by a process and read again only when the
    directory's version moves (every import and every edit moves it). A caller that
    reads the version in a query it makes anyway names a case's reasons without a
    round trip of its own. Held per database: versions of two databases say nothing
    about each other."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, Names]] = {}

    def at(self, session: Session, version: str) -> Names:
        connection = session.connection()
        database = str(connection.engine.url)
        held = self._held.get(database)
        if held is None or held[0] != version:
            found: dict[str, dict[str, str]] = {"manager": {}, "partner": {}, "site": {}}
            for kind, key, name in connection.execute(_EVERY_NAME):
                found[kind][key] = name
            held = (version, Names(found["manager"], found["partner"], found["site"]))
            self._held[database] = held  # one assignment: a reader sees old or new
        return held[1]
