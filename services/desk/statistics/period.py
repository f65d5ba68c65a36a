"""A statistics period (from, to, inclusive days in the centre's time zone) and how it
splits into whole months, read from the monthly counters, and the days at its edges,
summed from the case facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_DAYS = 366 * 20  # twenty years: more is a typing error, not a report


class PeriodError(ValueError):
    """A period or site a client sent that cannot be used; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def parse_day(parameter: str, value: str | None, default: dt.date) -> dt.date:
    if value is None or value == "":
        return default
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(parameter, f"{value[:40]!r} is not a date such as 2026-01-31") from None


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, start: dt.date, end: dt.date) -> Period:
        if start > end:
            raise PeriodError("from", f"{start.isoformat()} is after to ({end.isoformat()})")
        if (end - start).days > MAX_DAYS:
            raise PeriodError("to", "a period of at most twenty years")
        return cls(start, end)

    @property
    def full_months(self) -> tuple[dt.date, dt.date] | None:
        """The first day of the first and of the last month the period covers whole."""
        first = self.start if self.start.day == 1 else next_month(self.start)
        whole_last = self.end == next_month(self.end) - dt.timedelta(days=1)
        last = month_start(self.end if whole_last else month_start(self.end) - dt.timedelta(days=1))
        if first > last:
            return None
        return first, last

    @property
    def edges(self) -> list[tuple[dt.date, dt.date]]:
        """The days outside whole months, as inclusive ranges."""
        months = self.full_months
        if months is None:
            return [(self.start, self.end)]
        first, last = months
        found = []
        if self.start < first:
            found.append((self.start, first - dt.timedelta(days=1)))
        end_of_last = next_month(last) - dt.timedelta(days=1)
        if self.end > end_of_last:
            found.append((end_of_last + dt.timedelta(days=1), self.end))
        return found

    def months(self) -> list[str]:
        """Every month the period touches, 2026-01 first."""
        found, day = [], month_start(self.start)
        while day <= self.end:
            found.append(day.strftime("%Y-%m"))
            day = next_month(day)
        return found


# The periods a centre reports on, offered as links beside the form: keys name them in
# the page's words (the template has the labels).
PRESETS = ("this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year")


def presets(today: dt.date) -> list[tuple[str, Period]]:
    """This and last month, quarter and year as of `today`; a current one ends today."""
    month = month_start(today)
    quarter = quarter_start(today)
    previous_quarter = quarter_start(quarter - dt.timedelta(days=1))
    year = dt.date(today.year, 1, 1)
    periods = {
        "this_month": Period(month, today),
        "last_month": Period(
            month_start(month - dt.timedelta(days=1)), month - dt.timedelta(days=1)
        ),
        "this_quarter": Period(quarter, today),
        "last_quarter": Period(previous_quarter, quarter - dt.timedelta(days=1)),
        "this_year": Period(year, today),
        "last_year": Period(dt.date(today.year - 1, 1, 1), year - dt.timedelta(days=1)),
    }
    return [(key, periods[key]) for key in PRESETS]
