"""The periods the statistics page offers in one click: this and last month, quarter and
year, on any day, year ends and leap years included."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from services.desk.statistics.period import PRESETS, presets


def _as_text(today: dt.date) -> dict[str, tuple[str, str]]:
    return {key: (p.start.isoformat(), p.end.isoformat()) for key, p in presets(today)}


def test_the_periods_of_a_day_in_december() -> None:
    assert _as_text(dt.date(2026, 12, 6)) == {
        "this_month": ("2026-12-01", "2026-12-06"),
        "last_month": ("2026-11-01", "2026-11-30"),
        "this_quarter": ("2026-10-01", "2026-12-06"),
        "last_quarter": ("2026-07-01", "2026-09-30"),
        "this_year": ("2026-01-01", "2026-12-06"),
        "last_year": ("2025-01-01", "2025-12-31"),
    }


def test_the_first_quarter_looks_back_into_last_year() -> None:
    found = _as_text(dt.date(2028, 3, 31))
    assert found["last_month"] == ("2028-02-01", "2028-02-29")  # a leap year
    assert found["this_quarter"] == ("2028-01-01", "2028-03-31")
    assert found["last_quarter"] == ("2027-10-01", "2027-12-31")


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)))
def test_every_period_is_whole_months_ending_where_it_should(today: dt.date) -> None:
    found = dict(presets(today))
    assert list(found) == list(PRESETS)
    for key, period in found.items():
        assert period.start.day == 1 and period.start <= period.end
        if key.startswith("this_"):
            assert period.end == today and period.start <= today
        else:  # a whole month, quarter or year, ending the day before the current one starts
            current = found[key.replace("last_", "this_")]
            assert period.end == current.start - dt.timedelta(days=1)
            assert (period.end + dt.timedelta(days=1)).day == 1
    months = {"month": 1, "quarter": 3, "year": 12}
    for unit, length in months.items():
        last = found[f"last_{unit}"]
        span = (last.end.year - last.start.year) * 12 + last.end.month - last.start.month + 1
        assert span == length
        assert (found[f"this_{unit}"].start.month - 1) % length == 0
