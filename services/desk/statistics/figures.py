"""The figures of a period, from counts: pure, so that what the monthly counters give and
what the case facts give add up alike, and a test can compute every figure by hand.

Every figure counts the cases received in the period (a cohort): how they came, who
asked about what, and what became of them so far (closed by outcome, referred, the
office time to their first response and to their closing). Persons are the distinct
enquirers among them; a first contact is an enquirer's first case with the centre ever,
a follow-up any later one.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from services.desk.statistics.period import Period
from shared.statistics.contributions import NONE, Fact, metrics
from shared.vocabulary import CHANNELS, OUTCOMES, REQUESTER_TYPES, TOPICS

UNKNOWN = "unknown"
PERCENTILES = (("median_hours", 0.5), ("p90_hours", 0.9))


@dataclass
class Tally:
    """Counts of the cases of a period: (metric, value) -> n, contacts per month and per
    site, and the persons new to the period."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    sites: Counter[str] = field(default_factory=Counter)
    persons: int = 0

    def add_fact(self, fact: Fact, *, period: Period, one_site: bool) -> None:
        """One case of the days a period only partly covers."""
        self.counts.update(metrics(fact))
        self.months[fact.month] += 1
        self.sites[fact.site or NONE] += 1
        previous = fact.prev_site_on if one_site else fact.prev_any_on
        if previous is None or previous < period.start:
            self.persons += 1


def percentiles(histogram: Mapping[int, int]) -> dict[str, Any]:
    """Nearest-rank median and 90th percentile of durations in tenths of an hour."""
    total = sum(histogram.values())
    found: dict[str, Any] = {"cases": total}
    ordered = sorted(histogram.items())
    for name, share in PERCENTILES:
        if not total:
            found[name] = None
            continue
        rank, seen = math.ceil(share * total), 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                found[name] = value / 10
                break
    return found


def _values(tally: Tally, metric: str) -> Counter[str]:
    return Counter({v or UNKNOWN: n for (m, v), n in tally.counts.items() if m == metric and n})


def _fixed(found: Counter[str], codes: Iterable[str]) -> dict[str, int]:
    """Every code of a fixed vocabulary in its order, zeros included."""
    return {code: found.get(code, 0) for code in codes}


def _ranked(found: Counter[str]) -> dict[str, int]:
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _histogram(tally: Tally, metric: str) -> dict[int, int]:
    return {int(v): n for (m, v), n in tally.counts.items() if m == metric and n}


def figures(tally: Tally, period: Period, site: str | None) -> dict[str, Any]:
    contacts = tally.counts[("contacts", NONE)]
    first = tally.counts[("prev_any", NONE)]
    outcomes = _values(tally, "outcome")
    partners = _values(tally, "referral")
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "site": site,
        "contacts": contacts,
        "persons": tally.persons,
        "first_contacts": first,
        "follow_ups": contacts - first,
        "companies": tally.counts[("requester_type", "employer")],
        "needs_interpreter": tally.counts[("needs_interpreter", "yes")],
        "by_channel": _fixed(_values(tally, "channel"), CHANNELS),
        "by_requester_type": _fixed(_values(tally, "requester_type"), REQUESTER_TYPES),
        "by_language": _ranked(_values(tally, "language")),
        "by_topic": _fixed(_values(tally, "topic"), TOPICS),
        "by_district": _ranked(_values(tally, "district")),
        "by_site": _ranked(Counter({k or UNKNOWN: n for k, n in tally.sites.items() if n})),
        "by_month": {month: tally.months.get(month, 0) for month in period.months()},
        "referrals": sum(partners.values()),
        "referrals_by_partner": _ranked(partners),
        "closed": sum(outcomes.values()),
        "closed_by_outcome": _fixed(outcomes, OUTCOMES),
        "time_to_first_response": percentiles(_histogram(tally, "first_response")),
        "time_to_closing": percentiles(_histogram(tally, "closing")),
    }


def rows(found: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The same figures as (figure, key, value) rows, for CSV."""
    out: list[tuple[str, str, str]] = []
    for name, value in found.items():
        if isinstance(value, Mapping):
            out.extend((name, str(k), "" if v is None else str(v)) for k, v in value.items())
        else:
            out.append((name, "", "" if value is None else str(value)))
    return out
