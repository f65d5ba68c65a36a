"""The statistics' use cases: who may see which site, the figures of a period as a dict and
as CSV, and the cases of a period as CSV rows without personal data.

An administrator sees every site and all of them together; a manager sees their own
site. A manager who asks for another site gets 403: sites are no secret (unlike a
case, which answers 404), so saying "not yours" hides nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from services.desk.staff import Staff
from services.desk.statistics.cases_export import cases_csv
from services.desk.statistics.figures import figures, rows
from services.desk.statistics.period import Period, PeriodError, parse_day
from services.desk.statistics.queries import read_tally
from shared.db.models import SiteRow
from shared.statistics.contributions import STATISTICS_ZONE


class NotYourSiteError(Exception):
    """A manager asked for another site's statistics (403)."""


def today() -> dt.date:
    return dt.datetime.now(STATISTICS_ZONE).date()


def period_of(start: str | None, end: str | None, *, now: dt.date | None = None) -> Period:
    """From the query's `from` and `to`; by default the year so far."""
    day = now or today()
    return Period.of(
        parse_day("from", start, day.replace(month=1, day=1)), parse_day("to", end, day)
    )


def site_scope(session: Session, staff: Staff, asked: str | None) -> str | None:
    """The site whose figures the caller gets; None: every site."""
    asked = (asked or "").strip() or None
    if asked is not None:
        codes = list(session.scalars(select(SiteRow.code).order_by(SiteRow.code)))
        if asked not in codes:
            raise PeriodError("site", f"no site {asked[:64]!r} (one of {', '.join(codes)})")
    if staff.is_admin:
        return asked
    if staff.site is None or (asked is not None and asked != staff.site):
        raise NotYourSiteError("a manager sees the statistics of their own site only")
    return staff.site


def statistics(connection: Connection, period: Period, site: str | None) -> dict[str, Any]:
    return figures(read_tally(connection, period, site), period, site)


def _csv(lines: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def statistics_csv(found: dict[str, Any]) -> str:
    return _csv([("figure", "key", "value"), *rows(found)])


__all__ = [
    "NotYourSiteError",
    "cases_csv",
    "period_of",
    "site_scope",
    "statistics",
    "statistics_csv",
]
