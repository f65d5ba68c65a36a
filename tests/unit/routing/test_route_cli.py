"""`welcomedesk route`: JSON lines in, one decision per good line out, loads accumulating."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from services.routing.engine import RoutingEngine
from shared.directory import Directory
from welcomedesk.route import route_lines

AT = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))

# The keys the product brief promises for every output line.
BRIEF_KEYS = {
    "id",
    "language",
    "requester_type",
    "topics",
    "primary_topic",
    "district",
    "site",
    "manager",
    "partners",
    "needs_interpreter",
    "reasons",
}

SPANISH = {
    "preferred_language": "es",
    "postal_code": "38100",
    "message": "Hola, quisiera saber cómo funciona la homologación de mi título de enfermera.",
}
ENGLISH_LIVING = {
    "preferred_language": "en",
    "postal_code": "38100",
    "message": "Hello, I am looking for a flat and a Kita place for my daughter.",
}
ARABIC = {
    "postal_code": "38100",
    "message": (
        "مرحبا، أنا مهندس كهرباء من سوريا وأسكن الآن في براونشفايغ. أريد معادلة شهادتي "
        "الجامعية والاعتراف بها في ألمانيا. ما هي الأوراق المطلوبة وكم تستغرق العملية؟ شكرا"
    ),
}


def _line(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def _route(
    engine: RoutingEngine, lines: list[str], at: dt.datetime = AT
) -> tuple[int, list[dict[str, Any]], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    bad = route_lines(lines, engine, at, out, err)
    decisions = [json.loads(raw) for raw in out.getvalue().splitlines()]
    return bad, decisions, err.getvalue().splitlines()


def test_one_line_per_enquiry_in_order_with_the_briefs_keys(engine: RoutingEngine) -> None:
    lines = [
        _line({"id": "first", **SPANISH}),
        _line({"id": 2, **ENGLISH_LIVING}),
        _line({**SPANISH, "postal_code": "38440"}),
    ]
    bad, decisions, errors = _route(engine, lines)
    assert (bad, errors) == (0, [])
    assert [d["id"] for d in decisions] == ["first", 2, 3]  # no id: the line number
    for decision in decisions:
        assert BRIEF_KEYS.issubset(decision)
        assert decision["primary_topic"] == decision["topics"][0]
        assert isinstance(decision["needs_interpreter"], bool)
        assert all(isinstance(r, str) and r for r in decision["reasons"])
    first = decisions[0]
    assert first["language"] == "es"
    assert first["requester_type"] == "worker"
    assert first["primary_topic"] == "recognition"
    assert (first["district"], first["site"], first["manager"]) == (
        "braunschweig",
        "braunschweig",
        "m-01",
    )
    assert first["partners"][0] == "p-01"
    assert decisions[2]["district"] == "wolfsburg"


def test_blank_lines_are_skipped_but_counted(engine: RoutingEngine) -> None:
    bad, decisions, _ = _route(engine, ["\n", _line(SPANISH), "   \n"])
    assert bad == 0
    assert [d["id"] for d in decisions] == [2]


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        pytest.param('{"message": "Hallo"\n', "not JSON", id="bad-json"),
        pytest.param('["message", "Hallo"]\n', "expected a JSON object", id="not-an-object"),
        pytest.param('{"id": "x", "email": "x@example.org"}\n', "message", id="missing-message"),
        pytest.param(
            '{"message": "Hallo", "consent_referral": "perhaps"}\n',
            "consent_referral",
            id="consent-wrong-type",
        ),
        pytest.param('{"message": "Hallo", "email": "nobody"}\n', "email", id="bad-email"),
    ],
)
def test_a_malformed_line_is_reported_and_the_others_are_routed(
    engine: RoutingEngine, raw: str, names: str
) -> None:
    lines = [_line({"id": "a", **SPANISH}), raw, _line({"id": "c", **ENGLISH_LIVING})]
    bad, decisions, errors = _route(engine, lines)
    assert bad == 1
    assert [d["id"] for d in decisions] == ["a", "c"]
    assert len(errors) == 1
    assert errors[0].startswith("line 2: ")
    assert names in errors[0]


def test_the_return_value_counts_every_bad_line(engine: RoutingEngine) -> None:
    lines = [
        "{oops\n",
        _line(SPANISH),
        '{"subject": "no message"}\n',
        '{"message": "Hi", "consent_referral": [true]}\n',
    ]
    bad, decisions, errors = _route(engine, lines)
    assert bad == 3
    assert len(decisions) == 1
    assert [e.split(":")[0] for e in errors] == ["line 1", "line 3", "line 4"]
    assert "message" in errors[1]
    assert "consent_referral" in errors[2]


def test_load_accumulates_and_never_exceeds_capacity(
    engine: RoutingEngine, demo_directory: Directory
) -> None:
    capacity = {m.id: m.capacity for m in demo_directory.managers}
    assert capacity["m-02"] == 20  # the only Arabic speaker in the demo directory
    bad, decisions, _ = _route(engine, [_line(ARABIC)] * 25)
    assert bad == 0
    assert all(d["language"] == "ar" for d in decisions)
    counts = Counter(d["manager"] for d in decisions if d["manager"] is not None)
    for manager, n in counts.items():
        assert n <= capacity[manager]
    assert [d["manager"] for d in decisions[:20]] == ["m-02"] * 20
    for later in decisions[20:]:
        assert later["manager"] != "m-02"
        assert later["manager"] is None or later["needs_interpreter"] is True


def test_each_run_starts_from_the_directorys_loads(engine: RoutingEngine) -> None:
    _route(engine, [_line(ARABIC)] * 20)
    _, decisions, _ = _route(engine, [_line(ARABIC)])
    assert decisions[0]["manager"] == "m-02"


def test_the_same_email_goes_back_to_the_same_manager(engine: RoutingEngine) -> None:
    lines = [
        _line({**SPANISH, "email": "Ana.Lopez@example.org"}),
        _line({**ENGLISH_LIVING, "email": "ana.lopez@example.org"}),
        _line({**ENGLISH_LIVING, "email": "someone.else@example.org"}),
    ]
    _, decisions, _ = _route(engine, lines)
    assert decisions[0]["manager"] == "m-01"
    # m-01 has no focus on living and one open case; only continuity keeps Ana with m-01 ...
    assert decisions[1]["manager"] == "m-01"
    assert any(r.startswith("continuity:") for r in decisions[1]["reasons"])
    # ... as the same enquiry from someone else shows.
    assert decisions[2]["manager"] == "m-02"


def test_the_decision_time_decides_who_is_absent(engine: RoutingEngine) -> None:
    christmas = dt.datetime(2026, 12, 22, 10, 0, tzinfo=AT.tzinfo)
    _, decisions, _ = _route(engine, [_line(SPANISH)], at=christmas)
    assert decisions[0]["manager"] != "m-01"  # m-01 is away 2026-12-21 to 2027-01-03
    assert decisions[0]["needs_interpreter"] is True
    excluded = {e["manager"]: e["why"] for e in decisions[0]["excluded"]}
    assert excluded["m-01"] == "absent until 2027-01-03"


def test_referral_only_with_consent(engine: RoutingEngine) -> None:
    lines = [_line(SPANISH), _line({**SPANISH, "consent_referral": True})]
    _, decisions, _ = _route(engine, lines)
    assert decisions[0]["referral"] is None
    assert decisions[1]["referral"] == "p-01"


# --- the command line, in a subprocess -----------------------------------------------------


def _welcomedesk(repo_root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).parent / "welcomedesk"
    return subprocess.run(
        [str(program), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=repo_root,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_route_command_reports_a_bad_line_and_exits_1(repo_root: Path) -> None:
    stdin = _line({"id": "a", **SPANISH}) + "{not json\n" + _line({"id": "c", **ENGLISH_LIVING})
    done = _welcomedesk(
        repo_root,
        "route",
        "--directory",
        "shared/data/demo_directory.yaml",
        "--at",
        "2026-11-26T10:00:00+01:00",
        stdin=stdin,
    )
    assert done.returncode == 1, done.stderr
    assert "line 2: not JSON" in done.stderr
    assert "1 line(s) not routed" in done.stderr
    assert [json.loads(raw)["id"] for raw in done.stdout.splitlines()] == ["a", "c"]


@pytest.mark.slow
def test_route_command_exits_0_when_every_line_is_good(repo_root: Path) -> None:
    done = _welcomedesk(
        repo_root,
        "route",
        "--directory",
        "shared/data/demo_directory.yaml",
        "--at",
        "2026-11-26T10:00:00+01:00",
        stdin=_line(SPANISH),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["manager"] == "m-01"


@pytest.mark.slow
def test_directory_validate_accepts_the_demo_file(repo_root: Path) -> None:
    done = _welcomedesk(repo_root, "directory", "validate", "shared/data/demo_directory.yaml")
    assert done.returncode == 0, done.stderr
    assert "ok, 2 sites, 4 managers" in done.stdout


@pytest.mark.slow
def test_directory_validate_names_the_bad_field(repo_root: Path, tmp_path: Path) -> None:
    demo = (repo_root / "shared" / "data" / "demo_directory.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(demo.replace("capacity: 20", "capacity: lots", 1), encoding="utf-8")
    done = _welcomedesk(repo_root, "directory", "validate", str(bad))
    assert done.returncode == 1
    assert f"{bad}:" in done.stderr
    assert "managers[0] (id m-01): capacity" in done.stderr
