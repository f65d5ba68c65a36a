"""A site's office hours in the directory: read into a calendar, written back alike, and every
bad value named by file, line, site and field."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from shared.directory import DirectoryError, parse_directory
from shared.directory.store import export_directory

SITE = """\
sites:
  - code: braunschweig
    name: Welcome Center Braunschweig
    team_email: team-bs@example.org
    districts: [braunschweig]
{extra}managers: []
partners: []
"""


def _site(extra: str) -> str:
    return SITE.format(extra="".join(f"    {line}\n" for line in extra.splitlines()))


def _problems(extra: str) -> list[str]:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(_site(extra), "dir.yaml")
    return caught.value.problems


def test_hours_closures_and_limits_make_the_sites_calendar() -> None:
    text = _site(
        'timezone: Europe/Berlin\nhours: {mon: ["09:00-12:30", "13:30-16:00"], wed: []}\n'
        "closures: [{from: 2026-12-24, to: 2026-12-31}]\naccept_within: 6\ntriage_within: 2.5"
    )
    site = parse_directory(text, "dir.yaml").sites[0]
    assert (site.accept_within, site.triage_within) == (6, 2.5)
    calendar = site.calendar
    assert calendar.week[0] == ((540, 750), (810, 960))
    assert calendar.week[1] == () and calendar.week[2] == ()  # missing and empty: closed
    monday = dt.datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert calendar.office_time(monday, monday + dt.timedelta(hours=4)) == dt.timedelta(hours=3)
    assert calendar.closed_on(dt.date(2026, 12, 28))


def test_a_site_without_hours_is_open_monday_to_friday_nine_to_five() -> None:
    site = parse_directory(_site(""), "dir.yaml").sites[0]
    assert site.hours is None
    assert site.calendar.week == ((((540, 1020),),) * 5) + ((), ())


def test_the_export_writes_the_calendar_back_and_nothing_unset() -> None:
    text = _site('hours: {fri: ["09:00-13:00"]}\nclosures: [{from: 2026-12-24, to: 2026-12-24}]')
    directory = parse_directory(text, "dir.yaml")
    written = export_directory(directory)
    assert "timezone" not in written and "accept_within" not in written
    assert parse_directory(written, "again.yaml") == directory


@pytest.mark.parametrize(
    ("extra", "field", "problem"),
    [
        ('hours: {mon: ["09:00-25:00"]}', "hours.mon[0]", "'25:00' is not a time of day"),
        ('hours: {mon: ["9-17"]}', "hours.mon[0]", "is not a time HH:MM"),
        ('hours: {mon: ["12:00-09:00"]}', "hours.mon[0]", "ends before it starts"),
        (
            'hours: {tue: ["09:00-12:00", "11:30-14:00"]}',
            "hours",
            "tue: ranges 09:00-12:00 and 11:30-14:00 overlap",
        ),
        ('hours: {monday: ["09:00-12:00"]}', "hours.monday", "'monday' is not a weekday"),
        ("timezone: Europe/Brunswick", "timezone", "is not a time zone"),
        ("closures: [{from: 2026-12-31, to: 2026-12-24}]", "closures[0]", "closure ends"),
        ("accept_within: 0", "accept_within", "greater than 0"),
        ("triage_within: many", "triage_within", "valid number"),
    ],
)
def test_bad_office_hours_name_the_site_and_the_field(extra: str, field: str, problem: str) -> None:
    problems = _problems(extra)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"6: sites[0] (code braunschweig): {field}: "), problems[0]
    assert problem in problems[0]
