"""Properties of the policy and the partner index over random directories and enquiries."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from services.routing.partners import MAX_SUGGESTIONS, PartnerIndex
from services.routing.policy import CaseFacts, Staffing, Workload, choose_manager
from shared.directory import Absence, Manager, Partner

DAY = dt.date(2026, 11, 26)
LANGUAGES = ("de", "en", "ar", "uk", "fa")
SITES = ("bs", "wob")
TOPICS = ("recognition", "language", "study", "living", "employer_hiring")
DISTRICTS = ("braunschweig", "wolfsburg", "gifhorn", "peine")
REQUESTER_TYPES = ("worker", "employer")


def _subset(items: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), min_size=min_size, unique=True).map(tuple)


@st.composite
def absences(draw: st.DrawFn) -> Absence:
    start = DAY + dt.timedelta(days=draw(st.integers(-10, 10)))
    return Absence(start=start, end=start + dt.timedelta(days=draw(st.integers(0, 10))))


@st.composite
def managers(draw: st.DrawFn, index: int) -> Manager:
    mid = f"m-{index:02d}"
    return Manager(
        id=mid,
        name=f"Manager {mid}",
        email=f"{mid}@example.org",
        site=draw(st.sampled_from(SITES)),
        languages=draw(_subset(LANGUAGES[:4], min_size=1)),  # nobody is sure to speak fa
        topics=draw(_subset(TOPICS)),
        capacity=draw(st.integers(0, 5)),
        active=draw(st.booleans()),
        absences=tuple(draw(st.lists(absences(), max_size=2))),
    )


@st.composite
def teams(draw: st.DrawFn) -> list[Manager]:
    size = draw(st.integers(0, 7))
    return [draw(managers(i)) for i in range(size)]


@st.composite
def workloads(draw: st.DrawFn, team: list[Manager]) -> dict[str, Workload]:
    """Loads as the system keeps them: never above capacity; some managers have no entry."""
    found: dict[str, Workload] = {}
    for m in team:
        if draw(st.booleans()):
            last = draw(st.none() | st.floats(0, 100, allow_nan=False))
            found[m.id] = Workload(draw(st.integers(0, m.capacity)), last)
    return found


@st.composite
def case_facts(draw: st.DrawFn, team: list[Manager]) -> CaseFacts:
    ids = [m.id for m in team]
    previous = draw(st.none() | st.sampled_from([*ids, "m-gone"]))
    return CaseFacts(
        language=draw(st.sampled_from(LANGUAGES)),
        site=draw(st.none() | st.sampled_from(SITES)),
        primary_topic=draw(st.sampled_from(TOPICS)),
        previous_manager=previous,
    )


@st.composite
def situations(draw: st.DrawFn) -> tuple[list[Manager], dict[str, Workload], CaseFacts]:
    team = draw(teams())
    return team, draw(workloads(team)), draw(case_facts(team))


def _eligible(m: Manager, loads: dict[str, Workload]) -> bool:
    work = loads.get(m.id) or Workload()
    return m.active and m.absent_on(DAY) is None and work.open_cases < m.capacity


@settings(deadline=None)
@given(situations())
def test_chosen_manager_is_eligible(
    situation: tuple[list[Manager], dict[str, Workload], CaseFacts],
) -> None:
    team, loads, facts = situation
    result = choose_manager(facts, Staffing(team, DAY), loads)
    if result.manager is None:
        return
    chosen = next(m for m in team if m.id == result.manager)
    assert chosen.active
    assert chosen.absent_on(DAY) is None
    assert (loads.get(chosen.id) or Workload()).open_cases < chosen.capacity


@settings(deadline=None)
@given(situations())
def test_language_match_exactly_when_an_eligible_speaker_exists(
    situation: tuple[list[Manager], dict[str, Workload], CaseFacts],
) -> None:
    team, loads, facts = situation
    result = choose_manager(facts, Staffing(team, DAY), loads)
    eligible = [m for m in team if _eligible(m, loads)]
    speakers = [m for m in eligible if facts.language in m.languages]
    assert result.needs_interpreter is (not speakers)
    if eligible:
        assert result.manager is not None
    else:
        assert result.manager is None
        return
    chosen = next(m for m in team if m.id == result.manager)
    if speakers:
        assert facts.language in chosen.languages
        assert result.needs_interpreter is False
    else:
        assert result.needs_interpreter is True


@settings(deadline=None)
@given(situations())
def test_site_and_continuity_are_respected(
    situation: tuple[list[Manager], dict[str, Workload], CaseFacts],
) -> None:
    team, loads, facts = situation
    result = choose_manager(facts, Staffing(team, DAY), loads)
    if result.manager is None:
        return
    chosen = next(m for m in team if m.id == result.manager)
    previous = next((m for m in team if m.id == facts.previous_manager), None)
    if previous is not None and _eligible(previous, loads) and facts.language in previous.languages:
        assert chosen.id == previous.id
        return
    # Otherwise: nobody of the chosen kind (speaker or not) was eligible at the enquiry's site.
    if facts.site is not None and chosen.site != facts.site:
        same_kind = [
            m
            for m in team
            if _eligible(m, loads)
            and m.site == facts.site
            and (facts.language in m.languages) == (not result.needs_interpreter)
        ]
        assert same_kind == []


@st.composite
def partners(draw: st.DrawFn, index: int) -> Partner:
    pid = f"p-{index:02d}"
    return Partner(
        id=pid,
        name=f"Partner {pid}",
        email=f"{pid}@example.org",
        topics=draw(_subset(TOPICS, min_size=1)),
        target_groups=draw(_subset(REQUESTER_TYPES, min_size=1)),
        languages=draw(_subset(LANGUAGES)),
        districts=draw(_subset(DISTRICTS)),
        auto_refer=draw(st.booleans()),
    )


@st.composite
def partner_lists(draw: st.DrawFn) -> list[Partner]:
    return [draw(partners(i)) for i in range(draw(st.integers(0, 10)))]


@settings(deadline=None)
@given(
    partner_lists(),
    _subset(TOPICS, min_size=1).map(lambda t: t[:3]),
    st.sampled_from(REQUESTER_TYPES),
    st.none() | st.sampled_from(DISTRICTS),
    st.sampled_from(LANGUAGES),
    st.booleans(),
)
def test_partner_suggestions_fit_the_enquiry(
    partner_list: list[Partner],
    topics: tuple[str, ...],
    requester_type: str,
    district: str | None,
    language: str,
    consent: bool,
) -> None:
    suggestion = PartnerIndex(partner_list).suggest(
        topics=topics,
        requester_type=requester_type,
        district=district,
        language=language,
        consent_referral=consent,
    )
    chosen = suggestion.partners
    assert len(chosen) <= MAX_SUGGESTIONS
    assert len({p.id for p in chosen}) == len(chosen)
    for p in chosen:
        assert set(p.topics) & set(topics)
        assert requester_type in p.target_groups
        if district is None:
            assert p.districts == ()
        else:
            assert p.districts == () or district in p.districts

    def fits_primary(p: Partner) -> bool:
        return (
            topics[0] in p.topics
            and requester_type in p.target_groups
            and (not p.districts or district in p.districts)
        )

    if any(fits_primary(p) for p in partner_list):
        assert chosen
        assert fits_primary(chosen[0])
    if suggestion.referral is not None:
        assert consent
        assert suggestion.referral == chosen[0]
        assert chosen[0].auto_refer


@st.composite
def runs(draw: st.DrawFn) -> tuple[list[Manager], list[CaseFacts]]:
    team = draw(teams())
    cases = draw(st.lists(case_facts(team), max_size=40))
    return team, cases


@settings(deadline=None)
@given(runs())
def test_a_run_of_enquiries_never_puts_a_manager_over_capacity(
    run: tuple[list[Manager], list[CaseFacts]],
) -> None:
    team, cases = run
    staffing = Staffing(team, DAY)
    loads = {m.id: Workload() for m in team}
    clock = 0.0
    assigned = 0
    for facts in cases:
        result = choose_manager(facts, staffing, loads)
        if result.manager is None:
            # Nobody eligible now: nobody becomes eligible later, loads only grow.
            assert all(not _eligible(m, loads) for m in team)
            continue
        clock += 1.0
        work = loads[result.manager]
        work.open_cases += 1
        work.last_assigned = clock
        assigned += 1
    for m in team:
        assert loads[m.id].open_cases <= m.capacity
    room = sum(m.capacity for m in team if m.active and m.absent_on(DAY) is None)
    assert assigned == min(len(cases), room)
