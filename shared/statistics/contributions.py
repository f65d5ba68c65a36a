"""What one case adds to the statistics' counters: the single definition that keeps the
monthly counters, sums the days a period only partly covers, and rebuilds the counters.

A counter is (month, site, metric, value) -> number of cases. Durations count in tenths
of an office hour (rounded half up), so a period's median and 90th percentile come out
of the counters exactly as they would from the cases, to the tenth of an hour that the
report shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

STATISTICS_ZONE: Final = ZoneInfo("Europe/Berlin")  # the centre's days and months
NONE: Final = ""  # an unknown site, district or language; no previous contact

Key = tuple[str, str, str, str]  # month, site, metric, value


@dataclass(frozen=True)
class Fact:
    """One case as the statistics see it; nothing personal."""

    enquiry_id: int
    received_at: dt.datetime
    received_on: dt.date
    channel: str
    requester_type: str
    language: str | None
    topic: str  # primary
    district: str | None
    site: str | None
    needs_interpreter: bool
    person: int | None
    prev_any_on: dt.date | None  # the person's previous contact, at any site
    prev_site_on: dt.date | None  # ... at this case's site
    status: str
    outcome: str | None
    closed_at: dt.datetime | None
    first_response_at: dt.datetime | None
    first_response_minutes: int | None  # office time from receipt
    closing_minutes: int | None
    partners: tuple[str, ...]

    @property
    def month(self) -> str:
        return month_of(self.received_on)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(STATISTICS_ZONE).date()


def month_of(day: dt.date | None) -> str:
    return day.strftime("%Y-%m") if day is not None else NONE


def tenths(minutes: int) -> int:
    """Office minutes as tenths of an hour, half up: monotone, so that percentiles agree."""
    return (minutes + 3) // 6


def metrics(fact: Fact) -> Counter[tuple[str, str]]:
    """(metric, value) -> count for one case."""
    items = [
        ("contacts", NONE),
        ("channel", fact.channel),
        ("requester_type", fact.requester_type),
        ("language", fact.language or NONE),
        ("topic", fact.topic),
        ("district", fact.district or NONE),
        ("needs_interpreter", "yes" if fact.needs_interpreter else "no"),
        ("prev_any", month_of(fact.prev_any_on)),
        ("prev_site", month_of(fact.prev_site_on)),
    ]
    if fact.status == "closed" and fact.outcome:
        items.append(("outcome", fact.outcome))
        if fact.closing_minutes is not None:
            items.append(("closing", str(tenths(fact.closing_minutes))))
    if fact.first_response_minutes is not None:
        items.append(("first_response", str(tenths(fact.first_response_minutes))))
    items.extend(("referral", partner) for partner in fact.partners)
    return Counter(items)


def contributions(fact: Fact | None) -> Counter[Key]:
    if fact is None:
        return Counter()
    month, site = fact.month, fact.site or NONE
    return Counter(
        {(month, site, metric, value): n for (metric, value), n in metrics(fact).items()}
    )


def delta(old: Fact | None, new: Fact | None) -> dict[Key, int]:
    """What changes in the counters when a case's facts go from `old` to `new`."""
    change = contributions(new)
    change.subtract(contributions(old))
    return {key: n for key, n in change.items() if n}
