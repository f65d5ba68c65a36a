"""Office time: when a site is open, how much open time lies between two moments, and the
moment a number of office hours after (or before) another one.

A site is open in its weekly hours (local wall-clock time in its time zone), except on
Lower Saxony's public holidays (from the `holidays` package, for any year) and on the
closures it lists. Every escalation timer and every response-time statistic counts
office time through this module, so that both agree to the second.

Moments are aware datetimes; the answers are in UTC. A range's wall-clock ends are
converted with the zone's rules for that date: 09:00-17:00 is eight hours on the days
the clocks change too.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_ZONE: Final = "Europe/Berlin"
DAY_MINUTES: Final = 24 * 60
# Monday to Friday, 09:00-17:00: a site whose directory entry names no hours.
DEFAULT_HOURS: Final[Mapping[str, tuple[tuple[int, int], ...]]] = {
    day: ((9 * 60, 17 * 60),) for day in WEEKDAYS[:5]
}
# How far a search for open time looks before it gives up: a calendar whose every day
# is closed (all hours empty, or closed for years) has no office time at all.
SEARCH_DAYS: Final = 366 * 10
UTC: Final = dt.UTC

Ranges = tuple[tuple[int, int], ...]  # minutes since local midnight, [start, end), end <= 1440


@functools.cache
def public_holidays(year: int) -> frozenset[dt.date]:
    """Lower Saxony's public holidays of one year (Reformation Day, 31 October, is one)."""
    return frozenset(holidays.country_holidays("DE", subdiv="NI", years=year).keys())


def warm_up() -> None:
    """Loads the holidays package's data (most of a second) before the first timer needs it."""
    this_year = dt.date.today().year
    public_holidays(this_year)
    public_holidays(this_year + 1)


def parse_clock(text: str, *, end: bool = False) -> int:
    """'09:30' as minutes since midnight; '24:00' only as the end of a range."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or len(minutes) != 2 or not (hours.isdigit() and minutes.isdigit()):
        raise ValueError(f"{text!r} is not a time HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > DAY_MINUTES or (value == DAY_MINUTES and not end):
        raise ValueError(f"{text!r} is not a time of day (00:00 to 24:00)")
    return value


def parse_range(text: str) -> tuple[int, int]:
    """'09:00-12:30' as (540, 750); the end must come after the start."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not a range such as 09:00-12:30")
    try:
        begins, ends = parse_clock(start), parse_clock(end, end=True)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    if ends <= begins:
        raise ValueError(f"{text!r} ends before it starts")
    return begins, ends


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def overlap(ranges: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first two ranges of one day that overlap, if any."""
    ordered = sorted(ranges)
    for before, after in itertools.pairwise(ordered):
        if after[0] < before[1]:
            return before, after
    return None


@dataclass(frozen=True)
class OfficeCalendar:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_ZONE))
    # Seven entries, Monday first; an empty entry is a closed day.
    week: tuple[Ranges, ...] = tuple(DEFAULT_HOURS.get(day, ()) for day in WEEKDAYS)
    closures: tuple[tuple[dt.date, dt.date], ...] = ()  # inclusive, besides public holidays

    @classmethod
    def of(
        cls,
        *,
        timezone: str | None = None,
        hours: Mapping[str, Sequence[tuple[int, int]]] | None = None,
        closures: Sequence[tuple[dt.date, dt.date]] = (),
    ) -> OfficeCalendar:
        """A site's calendar; no hours: Monday to Friday, 09:00-17:00; a weekday missing
        from `hours` is closed."""
        chosen = DEFAULT_HOURS if hours is None else hours
        week = tuple(tuple(sorted(chosen.get(day, ()))) for day in WEEKDAYS)
        return cls(ZoneInfo(timezone or DEFAULT_ZONE), week, tuple(closures))

    @classmethod
    def from_directory(
        cls,
        timezone: str | None,
        hours: Mapping[str, Sequence[str]] | None,
        closures: Sequence[Mapping[str, str]] = (),
    ) -> OfficeCalendar:
        """From a site's fields as the directory writes them ("09:00-12:30",
        {"from": "2026-12-24", "to": "2026-12-31"}); they were validated on import."""
        return cls.of(
            timezone=timezone,
            hours=None
            if hours is None
            else {day: [parse_range(r) for r in ranges] for day, ranges in hours.items()},
            closures=[
                (dt.date.fromisoformat(c["from"]), dt.date.fromisoformat(c["to"])) for c in closures
            ],
        )

    def closed_on(self, day: dt.date) -> bool:
        """A whole day without office hours: a public holiday or a closure."""
        if day in public_holidays(day.year):
            return True
        return any(start <= day <= end for start, end in self.closures)

    def local_day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def day_intervals(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The open intervals of one local day, in UTC."""
        return _day_intervals(self, day)

    def intervals(
        self, start: dt.datetime, end: dt.datetime
    ) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Open intervals within [start, end), clipped, in order."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        day, last = self.local_day(start), self.local_day(end)
        while day <= last:
            for begins, ends in self.day_intervals(day):
                if ends > start and begins < end:
                    yield max(begins, start), min(ends, end)
            day += dt.timedelta(days=1)

    def office_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Open time between two moments; zero when `end` is not after `start`."""
        total = dt.timedelta()
        if end <= start:
            return total
        for begins, ends in self.intervals(start, end):
            total += ends - begins
        return total

    def is_open(self, moment: dt.datetime) -> bool:
        moment = moment.astimezone(UTC)
        return any(b <= moment < e for b, e in self.day_intervals(self.local_day(moment)))

    def after(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The earliest moment with `duration` of office time since `start` (an interval's
        end when the time runs out exactly there)."""
        start = start.astimezone(UTC)
        left = duration
        if left <= dt.timedelta():
            return start
        day = self.local_day(start)
        for _ in range(SEARCH_DAYS):
            for begins, ends in self.day_intervals(day):
                if ends <= start:
                    continue
                begins = max(begins, start)
                if ends - begins >= left:
                    return begins + left
                left -= ends - begins
            day += dt.timedelta(days=1)
        raise ValueError("the calendar has no office time within ten years")

    def before(self, end: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The latest moment with `duration` of office time until `end`: whatever started
        at or before it has run that long. A calendar without office time that far back
        answers the start of its search."""
        end = end.astimezone(UTC)
        left = duration
        if left <= dt.timedelta():
            return end
        day = self.local_day(end)
        for _ in range(SEARCH_DAYS):
            for begins, ends in reversed(self.day_intervals(day)):
                if begins >= end:
                    continue
                ends = min(ends, end)
                if ends - begins >= left:
                    return ends - left
                left -= ends - begins
            day -= dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(), tzinfo=self.zone).astimezone(UTC)


@functools.lru_cache(maxsize=8192)
def _day_intervals(
    calendar: OfficeCalendar, day: dt.date
) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    if calendar.closed_on(day):
        return ()
    found = []
    for start, end in calendar.week[day.weekday()]:
        begins = _wall(day, start, calendar.zone)
        ends = _wall(day, end, calendar.zone)
        found.append((begins, ends))
    return tuple(found)


def _wall(day: dt.date, minutes: int, zone: ZoneInfo) -> dt.datetime:
    if minutes == DAY_MINUTES:
        day, minutes = day + dt.timedelta(days=1), 0
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def office_hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600
