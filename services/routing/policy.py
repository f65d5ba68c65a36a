"""The routing policy: which manager takes a case, and why. Pure: no I/O, no clock.

Eligible means active, not absent that day and below capacity. Continuity first,
then language (the enquiry's site before any other), then topic focus, then load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from shared.directory import Manager

MAX_LISTED_EXCLUSIONS = 20


@dataclass(frozen=True)
class CaseFacts:
    language: str
    site: str | None
    primary_topic: str
    previous_manager: str | None = None  # same enquirer's open or recent case


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


@dataclass
class Staffing:
    """The directory's managers as they stand on one day: who is there, by language."""

    managers: Sequence[Manager]
    day: dt.date
    present: list[Manager] = field(init=False)
    away: dict[str, str] = field(init=False)
    by_language: dict[str, list[Manager]] = field(init=False)

    def __post_init__(self) -> None:
        self.present, self.away, self.by_language = [], {}, {}
        for manager in self.managers:
            absence = manager.absent_on(self.day)
            if not manager.active:
                self.away[manager.id] = "inactive"
            elif absence is not None:
                self.away[manager.id] = f"absent until {absence.end.isoformat()}"
            else:
                self.present.append(manager)
                for language in manager.languages:
                    self.by_language.setdefault(language, []).append(manager)


_IDLE = Workload()


def _load(manager: Manager, loads: Mapping[str, Workload]) -> Workload:
    return loads.get(manager.id) or _IDLE


def _with_room(managers: Iterable[Manager], loads: Mapping[str, Workload]) -> list[Manager]:
    # The hot loop of a decision with a large directory: kept to one expression.
    return [m for m in managers if (loads.get(m.id) or _IDLE).open_cases < m.capacity]


def _rank(manager: Manager, loads: Mapping[str, Workload]) -> tuple[float, float, str]:
    """Lowest load ratio, then longest since last assignment, then id."""
    work = _load(manager, loads)
    last = float("-inf") if work.last_assigned is None else work.last_assigned
    return (work.open_cases / manager.capacity, last, manager.id)


def _describe(manager: Manager, facts: CaseFacts, loads: Mapping[str, Workload]) -> str:
    parts = []
    if facts.language in manager.languages:
        parts.append(f"speaks {facts.language}")
    focus = "generalist" if manager.generalist else f"focus {facts.primary_topic}"
    if manager.generalist or facts.primary_topic in manager.topics:
        parts.append(focus)
    parts.append(f"{_load(manager, loads).open_cases}/{manager.capacity} open")
    return f"{manager.id}: " + "; ".join(parts)


def choose_manager(
    facts: CaseFacts, staffing: Staffing, loads: Mapping[str, Workload]
) -> Assignment:
    speakers = _with_room(staffing.by_language.get(facts.language, ()), loads)
    reasons: list[str] = []

    if facts.previous_manager is not None:
        again = next((m for m in speakers if m.id == facts.previous_manager), None)
        if again is not None:
            reasons.append(f"continuity: this enquirer's earlier case is with {again.id}")
            reasons.append(_describe(again, facts, loads))
            return _decided(again, False, reasons, facts, staffing, loads)
        reasons.append(
            f"continuity: earlier manager {facts.previous_manager} is not eligible "
            f"or does not speak {facts.language}"
        )

    needs_interpreter = not speakers
    pool = speakers or _with_room(staffing.present, loads)
    if not pool:
        reasons.append("nobody eligible: the case waits in the site's triage queue")
        return _decided(None, needs_interpreter, reasons, facts, staffing, loads)
    if needs_interpreter:
        reasons.append(f"no eligible manager speaks {facts.language}: needs interpreter")

    tier = [m for m in pool if m.site == facts.site]
    if not tier:
        tier = pool
        if facts.site is not None and not needs_interpreter:
            reasons.append(
                f"cross-site language match: nobody eligible at {facts.site} "
                f"speaks {facts.language}"
            )
        elif facts.site is not None:
            reasons.append(f"nobody eligible at {facts.site}: another site's manager")
    focus = [m for m in tier if m.generalist or facts.primary_topic in m.topics] or tier
    chosen = min(focus, key=lambda m: _rank(m, loads))
    reasons.append(_describe(chosen, facts, loads))
    return _decided(chosen, needs_interpreter, reasons, facts, staffing, loads)


def _decided(
    chosen: Manager | None,
    needs_interpreter: bool,
    reasons: list[str],
    facts: CaseFacts,
    staffing: Staffing,
    loads: Mapping[str, Workload],
) -> Assignment:
    excluded, more = _exclusions(chosen, facts, staffing, loads)
    return Assignment(
        manager=chosen.id if chosen else None,
        needs_interpreter=needs_interpreter,
        reasons=tuple(reasons),
        excluded=excluded,
        excluded_more=more,
    )


def _exclusions(
    chosen: Manager | None, facts: CaseFacts, staffing: Staffing, loads: Mapping[str, Workload]
) -> tuple[tuple[Exclusion, ...], int]:
    """Why each other manager did not get the case, in the policy's order of checks."""
    listed: list[Exclusion] = []
    chosen_rank = _rank(chosen, loads) if chosen else None
    others = len(staffing.managers) - (1 if chosen else 0)
    for manager in staffing.managers:
        if len(listed) == MAX_LISTED_EXCLUSIONS:
            break
        if chosen is not None and manager.id == chosen.id:
            continue
        why = staffing.away.get(manager.id)
        if why is None:
            work = _load(manager, loads)
            if work.open_cases >= manager.capacity:
                why = f"at capacity ({work.open_cases}/{manager.capacity})"
            elif facts.language not in manager.languages:
                why = f"does not speak {facts.language}"
            elif chosen is None:
                why = "not eligible"
            elif manager.site != chosen.site:
                why = f"other site ({manager.site})"
            elif (
                not manager.generalist
                and facts.primary_topic not in manager.topics
                and (chosen.generalist or facts.primary_topic in chosen.topics)
            ):
                why = f"no focus on {facts.primary_topic}"
            elif chosen_rank is not None and _rank(manager, loads)[0] > chosen_rank[0]:
                why = f"higher load ({work.open_cases}/{manager.capacity})"
            elif chosen_rank is not None and _rank(manager, loads)[:2] > chosen_rank[:2]:
                why = "assigned more recently"
            else:
                why = "ranked lower"
        listed.append(Exclusion(manager.id, why))
    return tuple(listed), others - len(listed)
