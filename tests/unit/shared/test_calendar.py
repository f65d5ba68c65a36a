"""Office time: fixed cases a person can check on a calendar, and the arithmetic against a
minute-by-minute count over random hours, closures and intervals."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.calendar import (
    WEEKDAYS,
    OfficeCalendar,
    parse_range,
    public_holidays,
)

BERLIN = ZoneInfo("Europe/Berlin")
H = dt.timedelta(hours=1)


def berlin(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


DEFAULT = OfficeCalendar()


def test_reformation_day_is_a_holiday_in_lower_saxony_every_year() -> None:
    for year in (2025, 2026, 2031, 2099):
        assert dt.date(year, 10, 31) in public_holidays(year)
    assert dt.date(2026, 11, 1) not in public_holidays(2026)  # All Saints: not here


def test_a_case_assigned_on_a_friday_afternoon_runs_on_monday() -> None:
    friday = berlin(2026, 12, 4, 15, 0)
    assert DEFAULT.after(friday, 4 * H) == berlin(2026, 12, 7, 11, 0)
    assert DEFAULT.after(friday, 8 * H) == berlin(2026, 12, 7, 15, 0)
    assert DEFAULT.office_time(friday, berlin(2026, 12, 7, 9, 30)) == 2.5 * H
    assert DEFAULT.office_time(friday, berlin(2026, 12, 5, 12, 0)) == 2 * H  # Saturday


def test_reformation_day_counts_no_office_time() -> None:
    thursday = berlin(2025, 10, 30, 15, 0)  # Friday 31 October 2025 is the holiday
    assert DEFAULT.after(thursday, 8 * H) == berlin(2025, 11, 3, 15, 0)
    assert DEFAULT.office_time(berlin(2025, 10, 31, 8, 0), berlin(2025, 10, 31, 18, 0)) == 0 * H
    assert not DEFAULT.is_open(berlin(2025, 10, 31, 10, 0))
    monday = berlin(2028, 10, 30, 13, 0)  # Tuesday 31 October 2028
    assert DEFAULT.after(monday, 8 * H) == berlin(2028, 11, 1, 13, 0)


def test_time_runs_out_at_closing_time_exactly() -> None:
    friday = berlin(2026, 12, 4, 13, 0)
    assert DEFAULT.after(friday, 4 * H) == berlin(2026, 12, 4, 17, 0)
    assert not DEFAULT.is_open(berlin(2026, 12, 4, 17, 0))
    assert DEFAULT.is_open(berlin(2026, 12, 4, 16, 59))


def test_before_is_the_latest_moment_with_that_much_office_time_since() -> None:
    monday = berlin(2026, 12, 7, 10, 0)
    assert DEFAULT.before(monday, 2 * H) == berlin(2026, 12, 4, 16, 0)
    assert DEFAULT.before(monday, 1 * H) == berlin(2026, 12, 7, 9, 0)
    assert DEFAULT.before(berlin(2026, 12, 5, 12, 0), 1 * H) == berlin(2026, 12, 4, 16, 0)


def test_a_sites_own_hours_closures_and_missing_weekdays() -> None:
    calendar = OfficeCalendar.of(
        hours={
            "mon": [parse_range("09:00-12:30"), parse_range("13:30-16:00")],
            "tue": [parse_range("09:00-16:00")],
            "wed": [],
            "thu": [parse_range("09:00-18:00")],
        },
        closures=[(dt.date(2026, 12, 24), dt.date(2026, 12, 31))],
    )
    monday = berlin(2026, 11, 30, 12, 0)
    assert calendar.office_time(monday, berlin(2026, 11, 30, 14, 0)) == 1 * H  # lunch
    # Monday 3 h more, Tuesday 7 h, Wednesday closed, Thursday from 09:00.
    assert calendar.after(monday, 9 * H) == berlin(2026, 12, 1, 15, 0)
    assert calendar.after(monday, 12 * H) == berlin(2026, 12, 3, 11, 0)
    # Friday is missing: closed.
    assert calendar.office_time(berlin(2026, 12, 4, 0, 0), berlin(2026, 12, 5, 0, 0)) == 0 * H
    # Closed from Christmas Eve to New Year's Eve, and 1 January 2027 is a holiday.
    assert calendar.after(berlin(2026, 12, 22, 15, 0), 2 * H) == berlin(2027, 1, 4, 10, 0)


def test_the_day_the_clocks_change_still_has_eight_office_hours() -> None:
    saturdays = OfficeCalendar.of(hours={"sun": [parse_range("09:00-17:00")]})
    spring, autumn = dt.date(2026, 3, 29), dt.date(2026, 10, 25)
    for day in (spring, autumn):
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=BERLIN)
        assert saturdays.office_time(midnight, midnight + 24 * H) == 8 * H
    friday = berlin(2026, 3, 27, 16, 0)
    assert DEFAULT.after(friday, 2 * H) == dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC)


def test_a_range_may_end_at_midnight() -> None:
    late = OfficeCalendar.of(hours={"mon": [parse_range("20:00-24:00")]})
    monday = berlin(2026, 11, 30, 21, 0)
    assert late.after(monday, 3 * H) == berlin(2026, 12, 1, 0, 0)
    assert late.after(monday, 3.5 * H) == berlin(2026, 12, 7, 20, 30)
    assert late.office_time(monday, berlin(2026, 12, 1, 9, 0)) == 3 * H


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("25:00-26:00", "'25:00' is not a time of day"),
        ("09:00", "is not a range such as 09:00-12:30"),
        ("9-17", "'9' is not a time HH:MM"),
        ("12:00-11:00", "ends before it starts"),
        ("09:60-10:00", "'09:60' is not a time of day"),
        ("24:00-24:00", "'24:00' is not a time of day"),
    ],
)
def test_bad_ranges_are_refused(text: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_range(text)
    assert problem in str(caught.value)


def test_a_calendar_without_office_time_says_so() -> None:
    never = OfficeCalendar.of(hours={})
    with pytest.raises(ValueError, match="no office time"):
        never.after(berlin(2026, 1, 5, 9, 0), H)
    assert never.office_time(berlin(2026, 1, 1, 0, 0), berlin(2027, 1, 1, 0, 0)) == 0 * H


# The property: the arithmetic agrees with counting open minutes one by one.

MINUTE = dt.timedelta(minutes=1)


@st.composite
def calendars(draw: st.DrawFn) -> OfficeCalendar:
    zone = draw(st.sampled_from(["UTC", "Europe/Berlin"]))
    # In Berlin, hours start after 04:00: no office opens in the night the clocks change.
    earliest = 0 if zone == "UTC" else 240
    hours: dict[str, list[tuple[int, int]]] = {}
    for day in WEEKDAYS:
        count = draw(st.integers(0, 3))
        bounds = draw(
            st.lists(
                st.integers(earliest, 1440), min_size=2 * count, max_size=2 * count, unique=True
            )
        )
        bounds.sort()
        ranges = list(zip(bounds[::2], bounds[1::2], strict=True))
        named: bool = draw(st.booleans())  # an empty day may be named or left out
        if ranges or named:
            hours[day] = ranges
    first = draw(st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
    closures = [
        (start, start + dt.timedelta(days=draw(st.integers(0, 5))))
        for start in draw(st.lists(st.dates(first, first + dt.timedelta(days=10)), max_size=2))
    ]
    return OfficeCalendar.of(timezone=zone, hours=hours, closures=closures)


def _open_minute(calendar: OfficeCalendar, moment: dt.datetime) -> bool:
    local = moment.astimezone(calendar.zone)
    day = local.date()
    if day in public_holidays(day.year) or any(s <= day <= e for s, e in calendar.closures):
        return False
    minute = local.hour * 60 + local.minute
    return any(s <= minute < e for s, e in calendar.week[day.weekday()])


def _counted(calendar: OfficeCalendar, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    minutes, moment = 0, start
    while moment < end:
        minutes += _open_minute(calendar, moment)
        moment += MINUTE
    return minutes * MINUTE


moments = st.datetimes(
    dt.datetime(2026, 1, 1), dt.datetime(2027, 12, 20), timezones=st.just(dt.UTC)
).map(lambda m: m.replace(second=0, microsecond=0))


@settings(max_examples=150, deadline=None)
@given(calendar=calendars(), start=moments, minutes=st.integers(0, 3 * 24 * 60))
def test_office_time_agrees_with_a_minute_by_minute_count(
    calendar: OfficeCalendar, start: dt.datetime, minutes: int
) -> None:
    end = start + minutes * MINUTE
    assert calendar.office_time(start, end) == _counted(calendar, start, end)
    assert calendar.is_open(start) == _open_minute(calendar, start)


@settings(max_examples=150, deadline=None)
@given(calendar=calendars(), start=moments, minutes=st.integers(1, 16 * 60))
def test_after_and_before_are_the_nearest_moments_with_that_office_time(
    calendar: OfficeCalendar, start: dt.datetime, minutes: int
) -> None:
    assume(any(calendar.week))
    wanted = minutes * MINUTE
    later = calendar.after(start, wanted)
    assert calendar.office_time(start, later) == wanted
    assert calendar.office_time(start, later - MINUTE) < wanted  # the earliest such moment
    earlier = calendar.before(start, wanted)
    assert calendar.office_time(earlier, start) == wanted
    assert calendar.office_time(earlier + MINUTE, start) < wanted  # the latest such moment
