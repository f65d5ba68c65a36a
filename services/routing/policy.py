"""The routing policy: which manager takes a case, and why. Pure: no I/O, no clock.

Eligible means active, not absent that day and below capacity. Continuity first,
then language (the enquiry's site before any other), then topic focus, then load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from shared import reasons
from shared.directory import Manager
from shared.reasons import exclusion_text

MAX_LISTED_EXCLUSIONS = 20


@dataclass(frozen=True)
class CaseFacts:
    language: str
    site: str | None
    primary_topic: str
    previous_manager: str | None = None  # same enquirer's open or recent case
    # Managers the case may not go to: the one it is being reassigned away from.
    not_to: frozenset[str] = frozenset()


@dataclass
class Workload:
    open_cases: int = 0
    last_assigned: float | None = None  # any increasing clock; None: never assigned


@dataclass(frozen=True)
class Exclusion:
    manager: str
    why: str


@dataclass(frozen=True)
class Assignment:
    manager: str | None
    needs_interpreter: bool
    reasons: tuple[str, ...]
    excluded: tuple[Exclusion, ...] = ()
    excluded_more: int = 0  # exclusions beyond those listed


class Staffing:
    """The directory's managers as they stand on one day, as arrays for fast selection."""

    def __init__(self, managers: Sequence[Manager], day: dt.date) -> None:
        self.managers = managers
        self.day = day
        self.index = {m.id: i for i, m in enumerate(managers)}
        self.away: dict[str, str] = {}
        for manager in managers:
            absence = manager.absent_on(day)
            if not manager.active:
                self.away[manager.id] = reasons.exclusion_text("inactive")
            elif absence is not None:
                self.away[manager.id] = reasons.exclusion_text(
                    "absent", date=absence.end.isoformat()
                )
        size = len(managers)
        self.present = np.array([m.id not in self.away for m in managers], dtype=bool)
        self.capacity = np.array([m.capacity for m in managers], dtype=np.int64)
        self._site_codes = {code: n for n, code in enumerate(sorted({m.site for m in managers}))}
        self.site = np.array([self._site_codes[m.site] for m in managers], dtype=np.int64)
        order = sorted(range(size), key=lambda i: managers[i].id)
        self.id_rank = np.empty(size, dtype=np.int64)
        self.id_rank[order] = np.arange(size)
        self.speaks: dict[str, npt.NDArray[np.bool_]] = {}
        self.focus: dict[str, npt.NDArray[np.bool_]] = {}
        generalists = np.array([m.generalist for m in managers], dtype=bool)
        for i, manager in enumerate(managers):
            for language in manager.languages:
                self.speaks.setdefault(language, np.zeros(size, dtype=bool))[i] = True
            for topic in manager.topics:
                self.focus.setdefault(topic, generalists.copy())[i] = True
        self._generalists = generalists

    def at_site(self, site: str | None) -> npt.NDArray[np.bool_] | None:
        code = self._site_codes.get(site) if site is not None else None
        return None if code is None else self.site == code

    def speakers_of(self, language: str) -> npt.NDArray[np.bool_]:
        return self.speaks.get(language, np.zeros(len(self.managers), dtype=bool))

    def focused_on(self, topic: str) -> npt.NDArray[np.bool_]:
        """Managers whose focus includes the topic; a generalist matches every topic."""
        return self.focus.get(topic, self._generalists)


class LoadTable(Mapping[str, Workload]):
    """Open cases and last assignments of a directory's managers, in directory order."""

    def __init__(
        self, managers: Sequence[Manager], workloads: Mapping[str, Workload] | None = None
    ) -> None:
        self.managers = managers
        self.index = {m.id: i for i, m in enumerate(managers)}
        self.open = np.zeros(len(managers), dtype=np.int64)
        self.last = np.full(len(managers), -np.inf)
        for manager_id, work in (workloads or {}).items():
            i = self.index.get(manager_id)
            if i is not None:
                self.open[i] = work.open_cases
                self.last[i] = -np.inf if work.last_assigned is None else work.last_assigned

    def __getitem__(self, manager_id: str) -> Workload:
        i = self.index[manager_id]
        last = float(self.last[i])
        return Workload(int(self.open[i]), None if last == -np.inf else last)

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.index)

    def assign(self, manager_id: str, clock: float) -> None:
        i = self.index[manager_id]
        self.open[i] += 1
        self.last[i] = clock


def _table(staffing: Staffing, loads: Mapping[str, Workload]) -> LoadTable:
    if isinstance(loads, LoadTable) and loads.managers is staffing.managers:
        return loads
    return LoadTable(staffing.managers, loads)


def _best(candidates: npt.NDArray[np.bool_], staffing: Staffing, table: LoadTable) -> int:
    """Index of the best candidate: lowest load ratio, longest since last assignment, id."""
    idx = np.flatnonzero(candidates)
    ratio = table.open[idx] / staffing.capacity[idx]
    idx = idx[ratio == ratio.min()]
    if len(idx) > 1:
        last = table.last[idx]
        idx = idx[last == last.min()]
    return int(idx[np.argmin(staffing.id_rank[idx])])


def _describe(manager: Manager, facts: CaseFacts, table: LoadTable) -> str:
    focus = None
    if manager.generalist:
        focus = "generalist"
    elif facts.primary_topic in manager.topics:
        focus = facts.primary_topic
    return reasons.fit_text(
        manager.id,
        language=facts.language if facts.language in manager.languages else None,
        focus=focus,
        open_cases=int(table.open[table.index[manager.id]]),
        capacity=manager.capacity,
    )


def choose_manager(
    facts: CaseFacts, staffing: Staffing, loads: Mapping[str, Workload]
) -> Assignment:
    table = _table(staffing, loads)
    room = staffing.present & (table.open < staffing.capacity)
    for manager_id in facts.not_to:
        if (i := staffing.index.get(manager_id)) is not None:
            room[i] = False
    speakers = room & staffing.speakers_of(facts.language)
    said: list[str] = []

    if facts.previous_manager is not None:
        i = staffing.index.get(facts.previous_manager)
        if i is not None and speakers[i]:
            again = staffing.managers[i]
            said.append(reasons.text("continuity", manager=again.id))
            said.append(_describe(again, facts, table))
            return _decided(again, False, said, facts, staffing, table)
        said.append(
            reasons.text("continuity_lost", manager=facts.previous_manager, language=facts.language)
        )

    needs_interpreter = not speakers.any()
    pool = room if needs_interpreter else speakers
    if not pool.any():
        said.append(reasons.text("triage"))
        return _decided(None, needs_interpreter, said, facts, staffing, table)
    if needs_interpreter:
        said.append(reasons.text("needs_interpreter", language=facts.language))

    at_site = staffing.at_site(facts.site)
    tier = pool & at_site if at_site is not None else pool
    if not tier.any():
        tier = pool
        if facts.site is not None and not needs_interpreter:
            said.append(reasons.text("cross_site", site=facts.site, language=facts.language))
        elif facts.site is not None:
            said.append(reasons.text("other_site", site=facts.site))
    focus = tier & staffing.focused_on(facts.primary_topic)
    chosen = staffing.managers[_best(focus if focus.any() else tier, staffing, table)]
    said.append(_describe(chosen, facts, table))
    return _decided(chosen, needs_interpreter, said, facts, staffing, table)


def _decided(
    chosen: Manager | None,
    needs_interpreter: bool,
    said: list[str],
    facts: CaseFacts,
    staffing: Staffing,
    table: LoadTable,
) -> Assignment:
    excluded, more = _exclusions(chosen, facts, staffing, table)
    return Assignment(
        manager=chosen.id if chosen else None,
        needs_interpreter=needs_interpreter,
        reasons=tuple(said),
        excluded=excluded,
        excluded_more=more,
    )


def _exclusions(
    chosen: Manager | None, facts: CaseFacts, staffing: Staffing, table: LoadTable
) -> tuple[tuple[Exclusion, ...], int]:
    """Why other managers did not get the case, in the policy's order of checks."""
    listed: list[Exclusion] = []
    others = len(staffing.managers) - (1 if chosen else 0)
    best = staffing.index[chosen.id] if chosen else -1
    chosen_focus = chosen is not None and (
        chosen.generalist or facts.primary_topic in chosen.topics
    )
    # Plain lists: reading numpy scalars one at a time costs more than converting.
    opens, lasts = table.open.tolist(), table.last.tolist()
    for i, manager in enumerate(staffing.managers):
        if len(listed) == MAX_LISTED_EXCLUSIONS:
            break
        if i == best:
            continue
        why = staffing.away.get(manager.id)
        if why is None and manager.id in facts.not_to:
            why = "reassigned away from"
        if why is None:
            open_cases = opens[i]
            if open_cases >= manager.capacity:
                why = exclusion_text("at_capacity", open=open_cases, capacity=manager.capacity)
            elif facts.language not in manager.languages:
                why = exclusion_text("no_language", language=facts.language)
            elif chosen is None:
                why = exclusion_text("not_eligible")
            elif manager.site != chosen.site:
                why = exclusion_text("other_site", site=manager.site)
            elif chosen_focus and not (manager.generalist or facts.primary_topic in manager.topics):
                why = exclusion_text("no_focus", topic=facts.primary_topic)
            elif open_cases / manager.capacity > opens[best] / chosen.capacity:
                why = exclusion_text("higher_load", open=open_cases, capacity=manager.capacity)
            elif lasts[i] > lasts[best]:
                why = exclusion_text("more_recent")
            else:
                why = exclusion_text("ranked_lower")
        listed.append(Exclusion(manager.id, why))
    return tuple(listed), others - len(listed)
