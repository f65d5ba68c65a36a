"""The timers' decisions, pure: which waiting case is due for what, per site and moment;
and beat runs the sweep every minute on the routing queue."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.routing.timers import Limits, Waiting, due, reason, thresholds
from shared.calendar import OfficeCalendar
from shared.events import ESCALATE, QUEUES
from shared.messaging.broker import make_celery
from shared.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
LIMITS = Limits(accept_within=8, triage_within=4)
MONDAY_NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=BERLIN)


def test_thresholds_are_the_moments_that_many_office_hours_back() -> None:
    found = thresholds(OfficeCalendar(), MONDAY_NOON, LIMITS)
    assert found is not None
    # Monday 09:00-12:00 is three office hours; the rest comes from Friday.
    assert found.remind == dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)  # Friday 16:00
    assert found.reassign == dt.datetime(2026, 12, 4, 11, 0, tzinfo=dt.UTC)  # Friday 12:00
    assert found.triage == found.remind
    assert thresholds(OfficeCalendar(), MONDAY_NOON.replace(hour=18), LIMITS) is None


def test_each_wait_gets_the_timer_that_is_due_once() -> None:
    at = thresholds(OfficeCalendar(), MONDAY_NOON, LIMITS)
    assert at is not None
    friday_14 = dt.datetime(2026, 12, 4, 14, 0, tzinfo=BERLIN)  # 6 office hours ago
    thursday = dt.datetime(2026, 12, 3, 14, 0, tzinfo=BERLIN)  # 14 office hours ago
    assert due(Waiting("assigned", friday_14), at) == "accept_reminder"
    assert due(Waiting("assigned", friday_14, frozenset({"accept_reminder"})), at) is None
    assert due(Waiting("assigned", thursday), at) == "accept_limit"  # no reminder past it
    assert due(Waiting("assigned", thursday, frozenset({"accept_limit"})), at) is None
    assert due(Waiting("assigned", MONDAY_NOON), at) is None
    assert due(Waiting("accepted", thursday), at) is None
    assert due(Waiting("triage", friday_14), at) == "triage_reminder"
    assert due(Waiting("triage", MONDAY_NOON.replace(hour=10)), at) is None


def test_a_sites_own_limits_and_the_reasons_say_them() -> None:
    own = LIMITS.overridden(5, None)
    assert own == Limits(5, 4)
    assert reason("accept_reminder", own) == "not accepted after 2.5 of 5 office hours"
    assert reason("accept_limit", own) == "not accepted within 5 office hours"
    assert reason("triage_reminder", own) == "in triage longer than 4 office hours"


def test_beat_sweeps_every_minute_on_the_routing_queue() -> None:
    settings = Settings(secret_key="timers-test-secret-0123456789", broker_url="redis://x:1/0")
    schedule = make_celery(settings, "t").conf.beat_schedule
    entry = schedule["escalate"]
    assert (entry["task"], entry["schedule"]) == (ESCALATE, 60.0)
    assert QUEUES[ESCALATE] == "routing"
