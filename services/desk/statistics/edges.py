"""The days a period cuts off its months, summed by PostgreSQL: the same counts as
`Tally.add_fact` over those days' facts (the embedded SQLite sums them in Python), in
three queries instead of one Python step per case."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, case, func, literal, or_, select, union_all

from services.desk.statistics.figures import Tally
from shared.db.models import CaseFactRow
from shared.statistics.contributions import NONE

FACTS = cast(Table, CaseFactRow.__table__)


def _tenths(minutes: Any) -> Any:
    return func.cast((minutes + 3) // 6, FACTS.c.channel.type)  # as contributions.tenths


def _month(day: Any) -> Any:
    return func.coalesce(func.to_char(day, "YYYY-MM"), NONE)


def add_days(
    connection: Connection,
    tally: Tally,
    *,
    start: dt.date,
    end: dt.date,
    site: str | None,
    since: dt.date,
) -> None:
    where: list[Any] = [FACTS.c.received_on.between(start, end)]
    if site is not None:
        where.append(FACTS.c.site == site)
    days = select(FACTS).where(*where).cte("days")
    c = days.c
    closed = and_(c.status == "closed", c.outcome.is_not(None), c.outcome != "")

    def by(metric: str, value: Any, *condition: Any) -> Any:
        return (
            select(literal(metric).label("metric"), value.label("value"), func.count())
            .where(*condition)
            .group_by(value)
        )

    partners = select(func.json_array_elements_text(c.partners).label("partner")).subquery()
    parts = [
        select(literal("contacts"), literal(NONE), func.count()).select_from(days),
        by("channel", c.channel),
        by("requester_type", c.requester_type),
        by("language", func.coalesce(c.language, NONE)),
        by("topic", c.topic),
        by("district", func.coalesce(c.district, NONE)),
        by("needs_interpreter", case((c.needs_interpreter, "yes"), else_="no")),
        by("prev_any", _month(c.prev_any_on)),
        by("prev_site", _month(c.prev_site_on)),
        by("outcome", c.outcome, closed),
        by("closing", _tenths(c.closing_minutes), closed, c.closing_minutes.is_not(None)),
        by(
            "first_response",
            _tenths(c.first_response_minutes),
            c.first_response_minutes.is_not(None),
        ),
        select(literal("referral"), partners.c.partner, func.count()).group_by(partners.c.partner),
    ]
    for metric, value, n in connection.execute(union_all(*parts)):
        tally.counts[(metric, value)] += int(n)
    month = func.to_char(c.received_on, "YYYY-MM")
    at = func.coalesce(c.site, NONE)
    for label, where_, n in connection.execute(select(month, at, func.count()).group_by(month, at)):
        tally.months[label] += int(n)
        tally.sites[where_] += int(n)
    previous = c.prev_site_on if site is not None else c.prev_any_on
    new = select(func.count()).select_from(days).where(or_(previous.is_(None), previous < since))
    tally.persons += int(connection.execute(new).scalar() or 0)
