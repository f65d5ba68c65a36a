"""Reading a period's counts: whole months from the monthly counters (a few thousand rows
for a year), the days at the period's edges from the case facts (summed by PostgreSQL,
or case by case on SQLite), and the persons whose previous contact fell in the partly
covered first month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from services.desk.statistics.edges import add_days
from services.desk.statistics.figures import Tally
from services.desk.statistics.period import Period, month_start, next_month
from shared.db.models import CaseFactRow, StatisticsMonthRow
from shared.statistics.contributions import NONE, Fact
from shared.statistics.facts import fact_of_row

MONTHS = cast(Table, StatisticsMonthRow.__table__)
FACTS = cast(Table, CaseFactRow.__table__)


def _month(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def facts_between(
    connection: Connection, start: dt.date, end: dt.date, site: str | None
) -> Iterator[Fact]:
    """The case facts received on these days, in order, streamed."""
    query = select(FACTS).where(FACTS.c.received_on.between(start, end))
    if site is not None:
        query = query.where(FACTS.c.site == site)
    query = query.order_by(FACTS.c.received_on, FACTS.c.enquiry_id)
    # On the statement: a connection's own options would outlast this read.
    result = connection.execute(query.execution_options(stream_results=True, yield_per=2000))
    for row in result:
        yield fact_of_row(row._mapping)


def _from_months(
    connection: Connection, tally: Tally, period: Period, site: str | None, months: Any
) -> None:
    first, last = (_month(m) for m in months)
    where = [MONTHS.c.month.between(first, last), MONTHS.c.n != 0]
    if site is not None:
        where.append(MONTHS.c.site == site)
    summed = select(MONTHS.c.metric, MONTHS.c.value, func.sum(MONTHS.c.n)).where(*where)
    for metric, value, n in connection.execute(summed.group_by(MONTHS.c.metric, MONTHS.c.value)):
        tally.counts[(metric, value)] += int(n)
    contacts = (
        select(MONTHS.c.month, MONTHS.c.site, func.sum(MONTHS.c.n))
        .where(*where, MONTHS.c.metric == "contacts")
        .group_by(MONTHS.c.month, MONTHS.c.site)
    )
    for month, at, n in connection.execute(contacts):
        tally.months[month] += int(n)
        tally.sites[at] += int(n)
    # A person is new to the period when their previous contact came before its start.
    previous = "prev_site" if site is not None else "prev_any"
    starts = _month(period.start)
    tally.persons += sum(
        n
        for (metric, value), n in tally.counts.items()
        if metric == previous and (value == NONE or value < starts)
    )
    if period.start.day != 1:  # previous contacts in the first month, before its start
        column = FACTS.c.prev_site_on if site is not None else FACTS.c.prev_any_on
        whole_end = next_month(months[1]) - dt.timedelta(days=1)
        query = select(func.count()).where(
            FACTS.c.received_on.between(months[0], whole_end),
            column >= month_start(period.start),
            column < period.start,
        )
        if site is not None:
            query = query.where(FACTS.c.site == site)
        tally.persons += int(connection.execute(query).scalar() or 0)


def read_tally(connection: Connection, period: Period, site: str | None) -> Tally:
    tally = Tally()
    months = period.full_months
    if months is not None:
        _from_months(connection, tally, period, site, months)
    for start, end in period.edges:
        if connection.dialect.name == "postgresql":
            add_days(connection, tally, start=start, end=end, site=site, since=period.start)
            continue
        for fact in facts_between(connection, start, end, site):
            tally.add_fact(fact, period=period, one_site=site is not None)
    return tally
