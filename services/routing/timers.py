"""Policy rule 8, the timers' decisions: which waiting case is due for what. Pure: no I/O.

An `assigned` case not accepted within `accept_within` office hours is reminded to its
manager at half that time and reassigned at the limit; a case in triage longer than
`triage_within` office hours is reminded to its site's team, once per stay. Time counts
in the site's office hours, and a site acts only while it is open, so that staff hear
of it at work.

Rather than measure every waiting case, each site's limits are turned into moments once
per sweep: a case that started waiting at or before `before(now, hours)` has waited at
least `hours` of office time. A sweep costs a few calendar walks per site, however many
cases are open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from shared.calendar import OfficeCalendar

Timer = Literal["accept_reminder", "accept_limit", "triage_reminder"]
TIMERS: Final[tuple[Timer, ...]] = ("accept_reminder", "accept_limit", "triage_reminder")


@dataclass(frozen=True)
class Limits:
    accept_within: float  # office hours
    triage_within: float

    def overridden(self, accept_within: float | None, triage_within: float | None) -> Limits:
        """A site's own limits where its directory entry sets them."""
        return Limits(accept_within or self.accept_within, triage_within or self.triage_within)


@dataclass(frozen=True)
class Thresholds:
    """For one site at one moment: whatever started waiting at or before these moments
    has waited that long in office time."""

    limits: Limits
    remind: dt.datetime  # half of accept_within
    reassign: dt.datetime  # accept_within
    triage: dt.datetime  # triage_within


def thresholds(calendar: OfficeCalendar, now: dt.datetime, limits: Limits) -> Thresholds | None:
    """None while the site is closed: nothing is due before it opens again."""
    if not calendar.is_open(now):
        return None
    accept = dt.timedelta(hours=limits.accept_within)
    return Thresholds(
        limits=limits,
        remind=calendar.before(now, accept / 2),
        reassign=calendar.before(now, accept),
        triage=calendar.before(now, dt.timedelta(hours=limits.triage_within)),
    )


@dataclass(frozen=True)
class Waiting:
    """A case as the timers see it: waiting in `status` since `since`."""

    status: str  # assigned or triage
    since: dt.datetime  # its assignment, or its entry into triage
    done: frozenset[str] = frozenset()  # timers already run for this `since`


def due(case: Waiting, at: Thresholds) -> Timer | None:
    """The timer that acts on the case now, if any. Past the limit there is no reminder
    any more: the case moves on."""
    if case.status == "assigned":
        if case.since <= at.reassign:
            return None if "accept_limit" in case.done else "accept_limit"
        if case.since <= at.remind and "accept_reminder" not in case.done:
            return "accept_reminder"
        return None
    if case.status == "triage" and case.since <= at.triage and "triage_reminder" not in case.done:
        return "triage_reminder"
    return None


def hours_text(hours: float) -> str:
    """8.0 as '8', 2.5 as '2.5': how the reasons say a limit."""
    return f"{hours:g}"


def reason(timer: Timer, limits: Limits) -> str:
    """Why the timer acted, readable by a manager (the reassignment's first reason)."""
    accept = hours_text(limits.accept_within)
    if timer == "accept_reminder":
        return f"not accepted after {hours_text(limits.accept_within / 2)} of {accept} office hours"
    if timer == "accept_limit":
        return f"not accepted within {accept} office hours"
    return f"in triage longer than {hours_text(limits.triage_within)} office hours"
