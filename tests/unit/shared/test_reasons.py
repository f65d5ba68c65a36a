"""Routing reasons: every line the engine writes reads back into its kind, and a manager reads
it with names, in German or English."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from services.routing.engine import RoutingEngine
from services.routing.partners import PartnerIndex
from services.routing.policy import CaseFacts, Staffing, Workload, choose_manager
from shared import reasons
from shared.db.models import ManagerRow
from shared.directory import Absence, Directory, Manager
from shared.directory.store import bump_version, directory_version
from shared.reasons.names import DirectoryNames, load_names
from shared.reasons.patterns import EXCLUSIONS, FIELDS, PATTERNS
from shared.reasons.render import WORDINGS
from shared.vocabulary import TOPICS
from tests.support.db import migrated, sqlite_url
from welcomedesk.route import route_lines

NAMES = reasons.Names(
    managers={"m-01": "Lucía Fernández", "m-02": "Karim Haddad"},
    partners={"p-01": "IQ Anerkennungsberatung"},
    sites={"braunschweig": "Welcome Center Braunschweig", "wolfsburg": "Welcome Center Wolfsburg"},
)
DAY = dt.date(2026, 11, 26)

_ALNUM = string.ascii_letters + string.digits
# The directory's identifiers: a letter or digit, then letters, digits, "_", "." and "-".
identifiers = st.builds(
    str.__add__, st.sampled_from(_ALNUM), st.text(alphabet=_ALNUM + "_.-", max_size=12)
)
codes = st.sampled_from(["ar", "de", "fa", "recognition", "wolfenbuettel", "living"])
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda v: v == v.strip() and v)
SAMPLES = {
    "manager": identifiers,
    "partner": identifiers,
    "site": identifiers,
    "language": codes,
    "topic": codes,
    "district": codes,
    "requester": st.sampled_from(["worker", "employer"]),
    "how": st.sampled_from(
        ["declared", "given in the form", "writes as a company (company given)"]
    ),
    "open": st.integers(0, 99).map(str),
    "capacity": st.integers(1, 99).map(str),
    "date": st.dates().map(dt.date.isoformat),
    "value": words,
    "note": st.sampled_from(
        ["outside the region's languages", "written in Latin letters", "too little text"]
    ),
    "confidence": st.floats(0, 0.99).map(lambda c: f"{c:.2f}"),
}


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def test_every_field_of_every_pattern_has_a_shape() -> None:
    for template in (*PATTERNS.values(), *EXCLUSIONS.values()):
        assert set(_fields(template)) <= set(FIELDS), template
    assert set(WORDINGS) >= set(PATTERNS) | {f"excluded_{k}" for k in EXCLUSIONS}


@pytest.mark.parametrize("kind", list(PATTERNS))
@settings(max_examples=40)
@given(data=st.data())
def test_a_written_reason_reads_back_as_its_kind_and_values(kind: str, data: st.DataObject) -> None:
    values = {name: data.draw(SAMPLES[name], label=name) for name in _fields(PATTERNS[kind])}
    line = reasons.text(kind, **values)
    read = reasons.parse(line)
    # Two kinds may share a line only when one's free words happen to spell the other's.
    if read.kind == kind:
        assert dict(read.values) == values
    else:
        assert "value" in values, (kind, line, read.kind)


@given(
    manager=identifiers,
    language=st.one_of(st.none(), codes),
    focus=st.one_of(st.none(), st.just("generalist"), codes),
    open_cases=st.integers(0, 50),
    capacity=st.integers(1, 50),
)
def test_the_chosen_managers_line_reads_back(
    manager: str, language: str | None, focus: str | None, open_cases: int, capacity: int
) -> None:
    line = reasons.fit_text(
        manager, language=language, focus=focus, open_cases=open_cases, capacity=capacity
    )
    read = reasons.parse(line)
    assert (read.kind, read.values["manager"]) == (reasons.FIT, manager)
    assert [part.kind for part in read.parts][-1] == "load"
    assert read.parts[-1].values == {"open": str(open_cases), "capacity": str(capacity)}
    assert any(p.kind == "speaks" for p in read.parts) == (language is not None)


def test_names_replace_ids_in_german_and_english() -> None:
    line = reasons.fit_text("m-01", language="es", focus="recognition", open_cases=0, capacity=20)
    assert reasons.render_all([line], NAMES, "de") == [
        "Lucía Fernández: spricht Spanisch; Schwerpunkt Anerkennung ausländischer Abschlüsse; "
        "0 von 20 Fällen offen"
    ]
    assert reasons.render_all([line], NAMES, "en") == [
        "Lucía Fernández: speaks Spanish; focus recognition of qualifications; 0 of 20 cases open"
    ]
    partner = reasons.text(
        "partner_region_speaks", partner="p-01", topic="recognition", language="ar"
    )
    assert reasons.render_all([partner], NAMES, "de") == [
        "Partner IQ Anerkennungsberatung: Anerkennung ausländischer Abschlüsse, für die ganze "
        "Region, spricht Arabisch"
    ]
    cross = reasons.text("cross_site", site="wolfsburg", language="ar")
    assert reasons.render_all([cross], NAMES, "en") == [
        "cross-site language match: nobody eligible at Welcome Center Wolfsburg speaks Arabic"
    ]


def test_an_id_without_a_name_and_an_unknown_line_stay_as_they_are() -> None:
    lines = ["referral to p-99: automatic, enquirer consented", "something the engine never said"]
    assert reasons.render_all(lines, NAMES, "de") == [
        "Vermittlung an p-99: automatisch, mit Einwilligung der anfragenden Person",
        "something the engine never said",
    ]


def test_exclusions_read_with_the_managers_name() -> None:
    assert (
        reasons.render_exclusion("m-01", "absent until 2027-01-03", NAMES, "de")
        == "Lucía Fernández: abwesend bis 3. Januar 2027"
    )
    assert (
        reasons.render_exclusion("m-02", "at capacity (20/20)", NAMES, "en")
        == "Karim Haddad: at capacity (20 of 20 cases open)"
    )
    assert reasons.render_exclusion("m-03", "odd", NAMES, "en") == "m-03: odd"


def test_referenced_names_what_to_look_up() -> None:
    lines = [
        reasons.text("continuity", manager="m-02"),
        reasons.fit_text("m-02", language="ar", focus=None, open_cases=1, capacity=20),
        reasons.text("auto_referral", partner="p-01"),
        reasons.text("site_serves", site="braunschweig", district="peine"),
    ]
    refs = reasons.referenced(reasons.parse_all(lines))
    assert refs == reasons.Refs(
        frozenset({"m-02"}), frozenset({"p-01"}), frozenset({"braunschweig"})
    )


# --- every line the engine writes is one the renderer knows ---------------------------------


def _manager(id: str, site: str, languages: tuple[str, ...], **more: object) -> Manager:
    return Manager.model_validate(
        {"id": id, "name": id, "email": f"{id}@example.org", "site": site, "languages": languages}
        | {"capacity": 2}
        | more
    )


def _policy_lines() -> list[tuple[str, list[str], list[tuple[str, str]]]]:
    """Decisions of the policy that reach every branch: continuity kept and lost, interpreter,
    cross-site, another site, triage, and every reason to exclude a manager."""
    staff = [
        _manager("a", "bs", ("de", "ar"), topics=("recognition",)),
        _manager("b", "bs", ("de",), topics=("living",)),
        _manager("c", "wob", ("de", "fa")),
        _manager("d", "bs", ("de",), active=False),
        _manager("e", "bs", ("de",), absences=(Absence.model_validate({"from": DAY, "to": DAY}),)),
        _manager("f", "bs", ("de", "ar"), topics=("recognition",)),
    ]
    staffing = Staffing(staff, DAY)
    cases = [
        (CaseFacts("ar", "bs", "recognition", previous_manager="a"), {}),
        (CaseFacts("fa", "bs", "recognition", previous_manager="b"), {}),
        (CaseFacts("ru", "bs", "living"), {}),
        (CaseFacts("fa", "bs", "living"), {"c": Workload(open_cases=2)}),
        (CaseFacts("ar", "bs", "recognition"), {"a": Workload(1, 2.0), "f": Workload(1, 1.0)}),
        (CaseFacts("ar", "bs", "recognition"), {"a": Workload(1), "f": Workload(0)}),
        (CaseFacts("de", "wob", "recognition"), {"c": Workload(open_cases=2)}),
        (CaseFacts("de", "bs", "recognition"), {}),
        (CaseFacts("de", "bs", "study"), {n: Workload(open_cases=2) for n in "abcf"}),
    ]
    found = []
    for facts, loads in cases:
        decided = choose_manager(facts, staffing, loads)
        found.append(
            (facts.language, list(decided.reasons), [(e.manager, e.why) for e in decided.excluded])
        )
    return found


def test_every_branch_of_the_policy_writes_lines_the_renderer_knows() -> None:
    kinds: set[str] = set()
    for _, lines, excluded in _policy_lines():
        for line in lines:
            read = reasons.parse(line)
            assert read.kind != reasons.UNKNOWN, line
            kinds.add(read.kind)
        for manager, why in excluded:
            read = reasons.parse_exclusion(manager, why)
            assert read.kind != reasons.UNKNOWN, why
            kinds.add(read.kind)
    assert {"continuity", "continuity_lost", "needs_interpreter", "cross_site", "triage"} <= kinds
    # Nobody is "not eligible" but for being away or full, which say so themselves.
    assert {f"excluded_{k}" for k in EXCLUSIONS if k != "not_eligible"} <= kinds


def test_partner_suggestions_write_lines_the_renderer_knows(demo_directory: Directory) -> None:
    index = PartnerIndex(demo_directory.partners)
    kinds = set()
    for district in ("braunschweig", "wolfsburg", None):
        for consent in (True, False):
            for language, topic in itertools.product(("ar", "de", "vi"), TOPICS):
                suggestion = index.suggest(
                    topics=(topic,),
                    requester_type="worker",
                    district=district,
                    language=language,
                    consent_referral=consent,
                )
                kinds |= {reasons.parse(line).kind for line in suggestion.reasons}
    assert reasons.UNKNOWN not in kinds
    assert {"auto_referral", "no_consent", "partner_local", "partner_region_speaks"} <= kinds


def test_the_dry_run_writes_no_line_the_renderer_does_not_know(
    engine: RoutingEngine, handout: Path
) -> None:
    """The labelled corpus through `welcomedesk route`: every reason and exclusion it prints."""
    corpus = handout / "corpora" / "enquiries" / "dev.jsonl"
    out, err = io.StringIO(), io.StringIO()
    at = dt.datetime.combine(DAY, dt.time(10), tzinfo=dt.UTC)
    assert route_lines(corpus.read_text(encoding="utf-8").splitlines(), engine, at, out, err) == 0
    decisions = [json.loads(line) for line in out.getvalue().splitlines()]
    unknown = [
        line
        for decision in decisions
        for line in decision["reasons"]
        if reasons.parse(line).kind == reasons.UNKNOWN
    ]
    unknown += [
        e["why"]
        for decision in decisions
        for e in decision["excluded"]
        if reasons.parse_exclusion(e["manager"], e["why"]).kind == reasons.UNKNOWN
    ]
    assert len(decisions) > 50 and unknown == []


# --- names from the database ------------------------------------------------------------------


def test_names_are_read_from_the_directory_in_the_database(tmp_path: Path) -> None:
    with migrated(sqlite_url(tmp_path)) as sessions, sessions() as session:
        every = reasons.Refs(
            frozenset({"m-02", "m-99"}), frozenset({"p-01"}), frozenset({"wolfsburg"})
        )
        assert load_names(session, every) == reasons.Names(
            {"m-02": "Karim Haddad"},
            {"p-01": "IQ Anerkennungsberatung Südostniedersachsen"},
            {"wolfsburg": "Welcome Center Wolfsburg"},
        )
        partners = reasons.Refs(frozenset(), frozenset({"p-02"}), frozenset())
        assert load_names(session, partners) == reasons.Names(
            {}, {"p-02": "Agentur für Arbeit Braunschweig-Goslar"}, {}
        )
        nothing = reasons.Refs(frozenset(), frozenset(), frozenset())
        assert load_names(session, nothing) == reasons.Names()


def test_the_directory_names_held_by_a_process_follow_every_change(tmp_path: Path) -> None:
    held = DirectoryNames()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    with migrated(sqlite_url(first)) as sessions, migrated(sqlite_url(second)) as others:
        with sessions() as session:
            version = directory_version(session)
            assert held.at(session, version).managers["m-02"] == "Karim Haddad"
            # Renamed behind the process's back without a new version: still the old name,
            # which shows that the names are held and not read for every mail.
            session.execute(update(ManagerRow).where(ManagerRow.id == "m-02").values(name="K. H."))
            assert held.at(session, version).managers["m-02"] == "Karim Haddad"
            # Every edit moves the version, and the next mail reads the names again.
            bump_version(session)
            session.flush()
            renamed = held.at(session, directory_version(session))
            assert renamed.managers["m-02"] == "K. H."
            assert renamed.sites["wolfsburg"] == "Welcome Center Wolfsburg"
        with others() as other:
            # Another database at the same version has names of its own.
            assert held.at(other, directory_version(other)).managers["m-02"] == "Karim Haddad"
