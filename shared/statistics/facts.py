"""Keeping the case facts, and the monthly counters with them, in step with each case.

Called in the transaction of every change of a case: the routing decision opens the
facts (`open_case_facts`), and every later change brings them up to date
(`refresh_case_facts`: the desk's actions, a reassignment, the enquirer's mail that
reopens a case, a reply that went out). The facts hold codes, dates and office-time
durations and a keyed hash of the enquirer, never an address or a text; what they were
made from may later be anonymised or erased without changing any figure.

Set once: when and by which channel the case came, and who (the hash). Kept current:
the codes of what was understood (corrections count), site, status and outcome. The
first response is the earliest reply that went out, or the closing if that came first;
it never moves later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from shared.calendar import OfficeCalendar
from shared.db.models import (
    CaseFactRow,
    DeliveryRow,
    EnquiryRow,
    ReferralRow,
    SiteRow,
    StatisticsMonthRow,
    as_utc,
    utcnow,
)
from shared.statistics.contributions import Fact, Key, delta, local_day
from shared.statistics.persons import person_of

FACTS = cast(Table, CaseFactRow.__table__)
SITES = cast(Table, SiteRow.__table__)
MONTHS = cast(Table, StatisticsMonthRow.__table__)
_E = cast(Table, EnquiryRow.__table__).c
_CASE = select(
    _E.received_at,
    _E.channel,
    _E.requester_type,
    _E.understood_type,
    _E.language,
    _E.topics,
    _E.district,
    _E.site,
    _E.needs_interpreter,
    _E.status,
    _E.outcome,
    _E.closed_at,
    _E.email,
    _E.phone,
    # The first reply that went out, and the site's office hours: one round trip.
    select(func.min(DeliveryRow.sent_at))
    .where(
        DeliveryRow.enquiry_id == _E.id,
        DeliveryRow.kind == "reply",
        DeliveryRow.sent_at.is_not(None),
    )
    .scalar_subquery()
    .label("replied"),
    SITES.c.timezone,
    SITES.c.hours,
    SITES.c.closures,
).outerjoin(SITES, SITES.c.code == _E.site)
_FIELDS = tuple(c.name for c in FACTS.columns if c.name != "updated_at")
# Made once: every change of a case runs them, and a statement built anew for each call
# costs SQLAlchemy a cache key of its whole tree every time.
_CASE_BY_ID = _CASE.where(_E.id == bindparam("key"))
_PARTNERS = (
    select(ReferralRow.partner_id)
    .where(ReferralRow.enquiry_id == bindparam("key"))
    .order_by(ReferralRow.id)
)
_FACT = select(*(FACTS.c[name] for name in _FIELDS)).where(FACTS.c.enquiry_id == bindparam("key"))
_PERSON = (
    select(*(FACTS.c[name] for name in _FIELDS))
    .where(FACTS.c.person == bindparam("person"))
    .order_by(FACTS.c.received_at, FACTS.c.enquiry_id)
)
_FACT_FOR_UPDATE = _FACT.with_for_update()
_PERSON_FOR_UPDATE = _PERSON.with_for_update()


def read_fact(connection: Connection, enquiry_id: int, *, lock: bool = False) -> Fact | None:
    locking = lock and connection.dialect.name == "postgresql"
    row = connection.execute(_FACT_FOR_UPDATE if locking else _FACT, {"key": enquiry_id}).first()
    return None if row is None else fact_of_row(row._mapping)


def fact_of_row(row: Mapping[Any, Any]) -> Fact:
    values = {name: row[name] for name in _FIELDS}
    for name in ("received_at", "closed_at", "first_response_at"):
        if values[name] is not None:
            values[name] = as_utc(values[name])
    values["partners"] = tuple(values["partners"] or ())
    return Fact(**values)


# The two dialects whose INSERT knows ON CONFLICT; each statement below is made once per
# dialect and chosen by the connection's.
_DIALECTS: dict[str, Any] = {"postgresql": postgresql, "sqlite": sqlite}


def _upsert_counts(dialect: Any) -> Any:
    statement = dialect.insert(MONTHS)
    return statement.on_conflict_do_update(
        index_elements=["month", "site", "metric", "value"],
        set_={"n": MONTHS.c.n + statement.excluded.n},
    )


# Executed for many rows: psycopg sends them in one pipeline, where a VALUES list of each
# case's own length would be compiled anew for every case.
_UPSERT_COUNTS = {name: _upsert_counts(dialect) for name, dialect in _DIALECTS.items()}
# A case's first facts, unless it has them already (a rebuild came first).
_OPEN_FACT = {
    name: dialect.insert(FACTS)
    .on_conflict_do_nothing(index_elements=["enquiry_id"])
    .returning(FACTS.c.enquiry_id)
    for name, dialect in _DIALECTS.items()
}


def add_counts(connection: Connection, changes: Mapping[Key, int]) -> None:
    """Adds to the monthly counters, in key order (no two transactions wait for each
    other's rows in opposite orders)."""
    rows = [
        {"month": k[0], "site": k[1], "metric": k[2], "value": k[3][:64], "n": n}
        for k, n in sorted(changes.items())
    ]
    if rows:
        connection.execute(_UPSERT_COUNTS[connection.dialect.name], rows)


def write_fact(connection: Connection, new: Fact, old: Fact | None) -> None:
    if new == old:
        return
    values = _values(new)
    if old is None:
        connection.execute(FACTS.insert().values(values))
    else:
        connection.execute(update(FACTS).where(FACTS.c.enquiry_id == new.enquiry_id).values(values))
    add_counts(connection, delta(old, new))


def _values(fact: Fact) -> dict[str, Any]:
    values = {name: getattr(fact, name) for name in _FIELDS}
    values["partners"] = list(fact.partners)
    values["updated_at"] = utcnow()
    return values


def _minutes(calendar: OfficeCalendar, start: dt.datetime, end: dt.datetime | None) -> int | None:
    if end is None:
        return None
    return round(calendar.office_time(start, end).total_seconds() / 60)


def _earliest(*moments: dt.datetime | None) -> dt.datetime | None:
    found = [m for m in moments if m is not None]
    return min(found) if found else None


def _read_case(connection: Connection, enquiry_id: int) -> Any:
    return connection.execute(_CASE_BY_ID, {"key": enquiry_id}).first()


def _partners(connection: Connection, enquiry_id: int) -> tuple[str, ...]:
    return tuple(connection.execute(_PARTNERS, {"key": enquiry_id}).scalars())


def _current(connection: Connection, enquiry_id: int, old: Fact | None) -> Fact | None:
    """The case's facts as its rows stand now; `old` supplies what is set once."""
    row = _read_case(connection, enquiry_id)
    if row is None:
        return None
    return _fact_of_case(row, enquiry_id, old, _partners(connection, enquiry_id))


def _fact_of_case(row: Any, enquiry_id: int, old: Fact | None, partners: Sequence[str]) -> Fact:
    replied = row.replied
    received = as_utc(old.received_at if old else row.received_at)
    closed = as_utc(row.closed_at) if row.closed_at and row.status == "closed" else None
    first = _earliest(old.first_response_at if old else None, replied and as_utc(replied), closed)
    calendar = OfficeCalendar.from_directory(row.timezone, row.hours, row.closures or ())
    return Fact(
        enquiry_id=enquiry_id,
        received_at=received,
        received_on=old.received_on if old else local_day(received),
        channel=old.channel if old else row.channel,
        requester_type=row.understood_type or row.requester_type or "worker",
        language=row.language,
        topic=(row.topics or ["other"])[0],
        district=row.district,
        site=row.site,
        needs_interpreter=bool(row.needs_interpreter),
        person=old.person if old else None,
        prev_any_on=old.prev_any_on if old else None,
        prev_site_on=old.prev_site_on if old else None,
        status=row.status,
        outcome=row.outcome if closed else None,
        closed_at=closed,
        first_response_at=first,
        first_response_minutes=_minutes(calendar, received, first),
        closing_minutes=_minutes(calendar, received, closed),
        partners=tuple(dict.fromkeys(partners)),
    )


def open_case_facts(
    connection: Connection,
    *,
    enquiry_id: int,
    person_key: bytes,
    partners: Sequence[str] | None = None,
) -> None:
    """The routing decision's facts: the person counted from the enquirer's address.

    It sits in every routing decision's transaction, which a single worker makes one
    at a time, so it costs as few round trips as it can: the decision passes the
    partners it referred to (else they are read), and the facts go in unless a rebuild
    made them already, in which case they are brought up to date instead."""
    row = _read_case(connection, enquiry_id)
    if row is None:
        raise LookupError(f"enquiry {enquiry_id} does not exist")
    if partners is None:
        partners = _partners(connection, enquiry_id)
    new = replace(
        _fact_of_case(row, enquiry_id, None, partners),
        person=person_of(row.email, row.phone, person_key),
    )
    inserted = connection.execute(_OPEN_FACT[connection.dialect.name], _values(new)).first()
    if inserted is None:
        refresh_case_facts(connection, enquiry_id=enquiry_id)
        return
    add_counts(connection, delta(None, new))
    if new.person is not None:
        renumber_contacts(connection, new.person)


def refresh_case_facts(connection: Connection, *, enquiry_id: int) -> None:
    """After a change of the case; a case without facts (not routed yet) has none to keep."""
    old = read_fact(connection, enquiry_id, lock=True)
    if old is None:
        return
    new = _current(connection, enquiry_id, old)
    if new is None:  # the enquiry was erased: its facts stay as they are
        return
    write_fact(connection, new, old)
    if new.site != old.site and new.person is not None:
        renumber_contacts(connection, new.person)


def renumber_contacts(connection: Connection, person: int) -> None:
    """Each of a person's cases points at their previous contact (at any site and at the
    case's site): a case routed late, or moved to another site, renumbers the others."""
    locking = connection.dialect.name == "postgresql"
    rows = connection.execute(_PERSON_FOR_UPDATE if locking else _PERSON, {"person": person})
    last_any: dt.date | None = None
    last_at: dict[str | None, dt.date] = {}
    for row in rows.all():
        fact = fact_of_row(row._mapping)
        wanted = replace(fact, prev_any_on=last_any, prev_site_on=last_at.get(fact.site))
        write_fact(connection, wanted, fact)
        last_any, last_at[fact.site] = fact.received_on, fact.received_on
