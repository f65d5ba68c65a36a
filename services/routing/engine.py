"""The routing engine: read an enquiry, then decide manager, site and partners.

The routing service and `welcomedesk route` both call `RoutingEngine.decide`;
they differ only in where loads and history come from (the database or a run's
own ledger).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.routing.partners import PartnerIndex, Suggestion
from services.routing.policy import (
    Assignment,
    CaseFacts,
    LoadTable,
    Staffing,
    Workload,
    choose_manager,
)
from services.routing.understand import Reader, Understanding
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.region import Region


@dataclass(frozen=True)
class Decision:
    understanding: Understanding
    assignment: Assignment
    suggestion: Suggestion
    triage_site: str | None  # where an unassigned case waits

    @property
    def manager(self) -> str | None:
        return self.assignment.manager

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.understanding.reasons + self.assignment.reasons + self.suggestion.reasons

    def as_line(self, enquiry_id: str | int | None) -> dict[str, Any]:
        """The JSON line of `welcomedesk route`."""
        u = self.understanding
        return {
            "id": enquiry_id,
            "language": u.language,
            "requester_type": u.requester_type,
            "topics": list(u.topics),
            "primary_topic": u.primary_topic,
            "district": u.district,
            "site": u.site,
            "manager": self.assignment.manager,
            "partners": [p.id for p in self.suggestion.partners],
            "needs_interpreter": self.assignment.needs_interpreter,
            "reasons": list(self.reasons),
            "referral": self.suggestion.referral.id if self.suggestion.referral else None,
            "triage_site": self.triage_site,
            "excluded": [{"manager": e.manager, "why": e.why} for e in self.assignment.excluded],
            "excluded_more": self.assignment.excluded_more,
            "language_confidence": u.language_confidence,
            "topic_confidence": u.topic_confidence,
            "unsure": list(u.unsure),
        }


class RoutingEngine:
    """Built once per directory; `decide` is cheap and safe to call per enquiry."""

    def __init__(self, directory: Directory, region: Region, reader: Reader | None = None) -> None:
        self.directory = directory
        self.reader = reader or Reader(region=region, directory=directory)
        self.partners = PartnerIndex(directory.partners)
        self._staffing: dict[dt.date, Staffing] = {}

    def staffing(self, day: dt.date) -> Staffing:
        if day not in self._staffing:
            self._staffing[day] = Staffing(self.directory.managers, day)
        return self._staffing[day]

    def decide(
        self,
        fields: EnquiryFields,
        *,
        day: dt.date,
        loads: Mapping[str, Workload],
        previous_manager: str | None = None,
        understanding: Understanding | None = None,
        not_to: frozenset[str] = frozenset(),
    ) -> Decision:
        """`understanding` may be read beforehand (it does not depend on loads); `not_to`
        names managers the case must not go to (a reassignment never goes back)."""
        u = understanding or self.reader.read(fields)
        facts = CaseFacts(u.language, u.site, u.primary_topic, previous_manager, not_to)
        assignment = choose_manager(facts, self.staffing(day), loads)
        suggestion = self.partners.suggest(
            topics=u.topics,
            requester_type=u.requester_type,
            district=u.district,
            language=u.language,
            consent_referral=bool(fields.consent_referral),
        )
        triage_site = None
        if assignment.manager is None:
            triage_site = u.site or self.directory.sites[0].code
        return Decision(u, assignment, suggestion, triage_site)


class Ledger:
    """Loads and enquirer history kept during one dry run: each assignment counts."""

    def __init__(self, directory: Directory) -> None:
        self.loads = LoadTable(
            directory.managers,
            {m.id: Workload(open_cases=m.open_cases) for m in directory.managers},
        )
        self._by_email: dict[str, str] = {}
        self._clock = 0.0

    def previous_manager(self, email: str | None) -> str | None:
        return self._by_email.get(email.lower()) if email else None

    def decide(self, engine: RoutingEngine, fields: EnquiryFields, *, day: dt.date) -> Decision:
        """A decision with this run's loads and history, counted for the next one."""
        decision = engine.decide(
            fields,
            day=day,
            loads=self.loads,
            previous_manager=self.previous_manager(fields.email),
        )
        self.record(decision, fields.email)
        return decision

    def record(self, decision: Decision, email: str | None) -> None:
        manager = decision.manager
        if manager is None:
            return
        self._clock += 1.0
        self.loads.assign(manager, self._clock)
        if email:
            self._by_email[email.lower()] = manager
