"""The routing policy with hand-built managers: who is eligible, who is preferred, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from services.routing.policy import (
    MAX_LISTED_EXCLUSIONS,
    Assignment,
    CaseFacts,
    Staffing,
    Workload,
    choose_manager,
)
from shared.directory import Absence, Manager

DAY = dt.date(2026, 11, 26)


def manager(
    id: str,
    *,
    site: str = "bs",
    languages: Sequence[str] = ("de", "en"),
    topics: Sequence[str] = (),
    capacity: int = 20,
    active: bool = True,
    absences: Sequence[Absence] = (),
) -> Manager:
    return Manager(
        id=id,
        name=f"Manager {id}",
        email=f"{id}@example.org",
        site=site,
        languages=tuple(languages),
        topics=tuple(topics),
        capacity=capacity,
        active=active,
        absences=tuple(absences),
    )


def away(start: dt.date, end: dt.date) -> Absence:
    return Absence(start=start, end=end)


def facts(
    language: str = "de",
    site: str | None = "bs",
    topic: str = "recognition",
    previous: str | None = None,
) -> CaseFacts:
    return CaseFacts(language=language, site=site, primary_topic=topic, previous_manager=previous)


def loads(**open_cases: int) -> dict[str, Workload]:
    return {mid.replace("_", "-"): Workload(open_cases=n) for mid, n in open_cases.items()}


def choose(
    case: CaseFacts,
    managers: Sequence[Manager],
    load: Mapping[str, Workload] | None = None,
    day: dt.date = DAY,
) -> Assignment:
    return choose_manager(case, Staffing(managers, day), load or {})


def why(assignment: Assignment, manager_id: str) -> str:
    return next(e.why for e in assignment.excluded if e.manager == manager_id)


# --- eligibility ---------------------------------------------------------------------------


def test_inactive_manager_is_never_chosen() -> None:
    team = [manager("m-a", active=False), manager("m-b")]
    result = choose(facts(), team, loads(m_b=19))
    assert result.manager == "m-b"
    assert why(result, "m-a") == "inactive"


def test_absent_manager_is_never_chosen() -> None:
    team = [manager("m-a", absences=[away(DAY, DAY + dt.timedelta(days=4))]), manager("m-b")]
    result = choose(facts(), team, loads(m_b=19))
    assert result.manager == "m-b"
    assert why(result, "m-a") == "absent until 2026-11-30"


def test_absence_only_counts_on_its_days() -> None:
    team = [manager("m-a", absences=[away(DAY + dt.timedelta(days=1), DAY + dt.timedelta(days=3))])]
    assert choose(facts(), team).manager == "m-a"
    assert choose(facts(), team, day=DAY + dt.timedelta(days=3)).manager is None
    assert choose(facts(), team, day=DAY + dt.timedelta(days=4)).manager == "m-a"


def test_full_manager_is_never_chosen() -> None:
    team = [manager("m-a", capacity=5), manager("m-b")]
    result = choose(facts(), team, loads(m_a=5, m_b=19))
    assert result.manager == "m-b"
    assert why(result, "m-a") == "at capacity (5/5)"


def test_manager_with_no_capacity_is_never_chosen() -> None:
    result = choose(facts(), [manager("m-a", capacity=0)])
    assert result.manager is None
    assert why(result, "m-a") == "at capacity (0/0)"


def test_nobody_eligible_leaves_the_case_unassigned() -> None:
    team = [
        manager("m-a", active=False),
        manager("m-b", absences=[away(DAY, DAY)]),
        manager("m-c", capacity=1),
    ]
    result = choose(facts(language="ar"), team, loads(m_c=1))
    assert result.manager is None
    assert any("triage" in r for r in result.reasons)
    assert [e.manager for e in result.excluded] == ["m-a", "m-b", "m-c"]


def test_no_managers_at_all() -> None:
    result = choose(facts(), [])
    assert result.manager is None
    assert result.excluded == ()


# --- language and site ---------------------------------------------------------------------


def test_language_match_is_preferred_over_a_lighter_load() -> None:
    team = [manager("m-a", languages=["de"]), manager("m-b", languages=["de", "ar"])]
    result = choose(facts(language="ar"), team, loads(m_a=0, m_b=15))
    assert result.manager == "m-b"
    assert result.needs_interpreter is False
    assert why(result, "m-a") == "does not speak ar"


def test_speaker_at_the_enquirys_site_before_one_elsewhere() -> None:
    team = [
        manager("m-a", site="wob", languages=["ar"]),
        manager("m-b", site="bs", languages=["ar"]),
    ]
    result = choose(facts(language="ar", site="bs"), team, loads(m_a=0, m_b=10))
    assert result.manager == "m-b"
    assert not any("cross-site" in r for r in result.reasons)
    assert why(result, "m-a") == "other site (wob)"


def test_speaker_at_another_site_is_a_cross_site_language_match() -> None:
    team = [
        manager("m-a", site="bs", languages=["de"]),
        manager("m-b", site="wob", languages=["ar"]),
    ]
    result = choose(facts(language="ar", site="bs"), team)
    assert result.manager == "m-b"
    assert result.needs_interpreter is False
    assert any(r.startswith("cross-site language match") for r in result.reasons)


def test_unknown_site_may_go_to_any_site_without_cross_site_note() -> None:
    team = [
        manager("m-a", site="bs", languages=["de"]),
        manager("m-b", site="wob", languages=["ar"]),
    ]
    result = choose(facts(language="ar", site=None), team)
    assert result.manager == "m-b"
    assert not any("cross-site" in r for r in result.reasons)


def test_needs_interpreter_when_no_eligible_manager_speaks_the_language() -> None:
    team = [
        manager("m-a", languages=["ar"], absences=[away(DAY, DAY)]),
        manager("m-b", languages=["ar"], capacity=2),
        manager("m-c", languages=["de"]),
    ]
    result = choose(facts(language="ar"), team, loads(m_b=2))
    assert result.manager == "m-c"
    assert result.needs_interpreter is True
    assert "no eligible manager speaks ar: needs interpreter" in result.reasons


def test_no_interpreter_needed_when_an_eligible_speaker_exists() -> None:
    team = [manager("m-a", languages=["de"]), manager("m-b", languages=["ar"], capacity=2)]
    result = choose(facts(language="ar"), team, loads(m_b=1))
    assert (result.manager, result.needs_interpreter) == ("m-b", False)


def test_interpreter_case_stays_at_the_enquirys_site_when_it_can() -> None:
    team = [
        manager("m-a", site="wob", languages=["de"]),
        manager("m-b", site="bs", languages=["de"]),
    ]
    result = choose(facts(language="vi", site="bs"), team, loads(m_a=0, m_b=12))
    assert (result.manager, result.needs_interpreter) == ("m-b", True)


def test_interpreter_case_goes_to_another_site_when_its_own_has_nobody() -> None:
    team = [manager("m-a", site="wob", languages=["de"]), manager("m-b", site="bs", capacity=1)]
    result = choose(facts(language="vi", site="bs"), team, loads(m_b=1))
    assert (result.manager, result.needs_interpreter) == ("m-a", True)
    assert "nobody eligible at bs: another site's manager" in result.reasons


# --- topic focus ---------------------------------------------------------------------------


def test_focus_on_the_primary_topic_comes_before_load() -> None:
    team = [manager("m-a", topics=["study"]), manager("m-b", topics=["recognition", "study"])]
    result = choose(facts(topic="recognition"), team, loads(m_a=0, m_b=10))
    assert result.manager == "m-b"
    assert why(result, "m-a") == "no focus on recognition"


def test_generalist_matches_every_topic() -> None:
    team = [manager("m-a", topics=["recognition"]), manager("m-b", topics=[])]
    result = choose(facts(topic="recognition"), team, loads(m_a=5, m_b=1))
    assert result.manager == "m-b"
    result = choose(facts(topic="living"), team, loads(m_a=0, m_b=10))
    assert result.manager == "m-b"


def test_when_nobody_has_the_focus_the_whole_tier_competes_on_load() -> None:
    team = [manager("m-a", topics=["study"]), manager("m-b", topics=["language"])]
    result = choose(facts(topic="recognition"), team, loads(m_a=4, m_b=2))
    assert result.manager == "m-b"


def test_focus_does_not_beat_language() -> None:
    team = [
        manager("m-a", languages=["de"], topics=["recognition"]),
        manager("m-b", languages=["ar"], topics=["study"]),
    ]
    assert choose(facts(language="ar", topic="recognition"), team).manager == "m-b"


# --- load ----------------------------------------------------------------------------------


def test_lowest_load_ratio_wins_not_lowest_count() -> None:
    team = [manager("m-a", capacity=5), manager("m-b", capacity=20)]
    # m-a: 2/5 = 0.4, m-b: 5/20 = 0.25
    assert choose(facts(), team, loads(m_a=2, m_b=5)).manager == "m-b"
    # m-a: 1/5 = 0.2, m-b: 5/20 = 0.25
    assert choose(facts(), team, loads(m_a=1, m_b=5)).manager == "m-a"


def test_equal_ratio_goes_to_the_longest_since_last_assignment() -> None:
    team = [manager("m-a"), manager("m-b")]
    load = {"m-a": Workload(3, last_assigned=7.0), "m-b": Workload(3, last_assigned=2.0)}
    result = choose(facts(), team, load)
    assert result.manager == "m-b"
    assert why(result, "m-a") == "assigned more recently"


def test_never_assigned_counts_as_longest_ago() -> None:
    team = [manager("m-a"), manager("m-b")]
    load = {"m-a": Workload(0, last_assigned=1.0), "m-b": Workload(0, last_assigned=None)}
    assert choose(facts(), team, load).manager == "m-b"


def test_full_tie_goes_to_the_lowest_id() -> None:
    team = [manager("m-c"), manager("m-a"), manager("m-b")]
    result = choose(facts(), team)
    assert result.manager == "m-a"
    assert why(result, "m-b") == "ranked lower"


def test_missing_load_entry_counts_as_no_open_cases() -> None:
    team = [manager("m-a"), manager("m-b")]
    assert choose(facts(), team, loads(m_a=1)).manager == "m-b"


def test_higher_load_is_named_in_the_exclusion() -> None:
    team = [manager("m-a"), manager("m-b")]
    result = choose(facts(), team, loads(m_a=3, m_b=1))
    assert result.manager == "m-b"
    assert why(result, "m-a") == "higher load (3/20)"


# --- continuity ----------------------------------------------------------------------------


def test_continuity_keeps_the_previous_manager_even_at_another_site() -> None:
    team = [
        manager("m-a", site="bs", languages=["ar"]),
        manager("m-b", site="wob", languages=["ar"], topics=["study"]),
    ]
    result = choose(facts(language="ar", site="bs", previous="m-b"), team, loads(m_a=0, m_b=9))
    assert result.manager == "m-b"
    assert result.reasons[0] == "continuity: this enquirer's earlier case is with m-b"


def test_continuity_falls_through_when_the_previous_manager_is_full() -> None:
    team = [manager("m-a", languages=["ar"]), manager("m-b", languages=["ar"], capacity=3)]
    result = choose(facts(language="ar", previous="m-b"), team, loads(m_b=3))
    assert result.manager == "m-a"
    assert result.reasons[0] == (
        "continuity: earlier manager m-b is not eligible or does not speak ar"
    )


def test_continuity_falls_through_when_the_previous_manager_is_absent() -> None:
    team = [manager("m-a"), manager("m-b", absences=[away(DAY, DAY)])]
    assert choose(facts(previous="m-b"), team, loads(m_a=10)).manager == "m-a"


def test_continuity_falls_through_when_the_previous_manager_does_not_speak_it() -> None:
    team = [manager("m-a", languages=["uk"]), manager("m-b", languages=["de"])]
    result = choose(facts(language="uk", previous="m-b"), team, loads(m_a=10))
    assert result.manager == "m-a"
    assert result.needs_interpreter is False


def test_continuity_with_a_manager_no_longer_in_the_directory() -> None:
    result = choose(facts(previous="m-gone"), [manager("m-a")])
    assert result.manager == "m-a"
    assert "earlier manager m-gone is not eligible" in result.reasons[0]


# --- reasons -------------------------------------------------------------------------------


def test_reasons_read_like_the_brief() -> None:
    team = [manager("m-02", languages=["de", "ar"], topics=["recognition"])]
    result = choose(facts(language="ar", topic="recognition"), team, loads(m_02=3))
    assert result.reasons == ("m-02: speaks ar; focus recognition; 3/20 open",)


def test_reasons_for_a_generalist() -> None:
    result = choose(facts(language="ar"), [manager("m-02", languages=["ar"])], loads(m_02=3))
    assert result.reasons == ("m-02: speaks ar; generalist; 3/20 open",)


def test_reasons_of_an_interpreter_case_do_not_claim_the_language() -> None:
    result = choose(facts(language="vi"), [manager("m-01", topics=["study"])])
    assert result.reasons[-1] == "m-01: 0/20 open"


def test_exclusions_are_listed_up_to_a_limit() -> None:
    team = [manager(f"m-{i:02d}", active=False) for i in range(MAX_LISTED_EXCLUSIONS + 5)]
    result = choose(facts(), [*team, manager("m-99")])
    assert result.manager == "m-99"
    assert len(result.excluded) == MAX_LISTED_EXCLUSIONS
    assert result.excluded_more == 5
    assert all(e.manager != "m-99" for e in result.excluded)
