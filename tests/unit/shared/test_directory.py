"""The directory file: the demo loads, and every bad entry is named by file, line, entry, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.directory import DirectoryError, load_directory
from shared.region import Region

# A small valid directory; each test breaks one thing in it.
VALID = """\
sites:
  - code: braunschweig
    name: Welcome Center Braunschweig
    team_email: team-bs@example.org
    districts: [braunschweig, salzgitter]
  - code: wolfsburg
    name: Welcome Center Wolfsburg
    team_email: team-wob@example.org
    districts: [wolfsburg, gifhorn]
managers:
  - id: m-01
    name: Anna Berger
    email: anna@example.org
    site: braunschweig
    languages: [de, en]
    capacity: 20
  - id: m-02
    name: Karim Haddad
    email: karim@example.org
    site: wolfsburg
    languages: [de, ar]
    topics: [recognition]
    capacity: 10
    absences: [{from: 2026-12-01, to: 2026-12-10}]
partners:
  - id: p-01
    name: Beratungsstelle
    email: beratung@example.org
    topics: [recognition]
    target_groups: [worker]
    districts: [braunschweig]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "directory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _broken(old: str, new: str, *, count: int = 1) -> str:
    assert VALID.count(old) == count, f"{old!r} must occur {count} time(s) in VALID"
    return VALID.replace(old, new)


def _line(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def _fault(tmp_path: Path, text: str, region: Region) -> DirectoryError:
    path = _write(tmp_path, text)
    with pytest.raises(DirectoryError) as caught:
        load_directory(path, districts=region.districts)
    return caught.value


# --- the shipped demo directory ------------------------------------------------------------


def test_demo_directory_loads_with_region_districts(
    demo_directory_path: Path, region: Region
) -> None:
    directory = load_directory(demo_directory_path, districts=region.districts)
    assert len(directory.managers) == 4
    assert len(directory.sites) == 2
    assert len(directory.partners) >= 12
    assert {s.code for s in directory.sites} == {"braunschweig", "wolfsburg"}


def test_demo_directory_sites_serve_every_district_of_the_region(
    demo_directory_path: Path, region: Region
) -> None:
    directory = load_directory(demo_directory_path, districts=region.districts)
    for district in region.districts:
        assert directory.site_of_district(district) is not None, district


def test_valid_example_loads(tmp_path: Path, region: Region) -> None:
    directory = load_directory(_write(tmp_path, VALID), districts=region.districts)
    assert [m.id for m in directory.managers] == ["m-01", "m-02"]
    assert directory.managers[0].generalist
    assert directory.managers[1].absences[0].end.isoformat() == "2026-12-10"


# --- one fault at a time: file, line, entry, field and what is wrong -----------------------

FAULTS = [
    pytest.param(
        "    site: wolfsburg\n",
        "    site: hamburg\n",
        "site: hamburg",
        "managers[1] (id m-02): site",
        "unknown site 'hamburg'",
        id="unknown-site",
    ),
    pytest.param(
        "    topics: [recognition]\n    capacity: 10",
        "    topics: [cooking]\n    capacity: 10",
        "topics: [cooking]",
        "managers[1] (id m-02): topics[0]",
        "'cooking' is not a topic",
        id="unknown-topic",
    ),
    pytest.param(
        "languages: [de, ar]",
        "languages: [de, xx]",
        "languages: [de, xx]",
        "managers[1] (id m-02): languages[1]",
        "'xx' is not an ISO 639-1 language code",
        id="unknown-language",
    ),
    pytest.param(
        "email: karim@example.org",
        "email: karim-at-example.org",
        "karim-at-example.org",
        "managers[1] (id m-02): email",
        "not a valid email address",
        id="invalid-email",
    ),
    pytest.param(
        "capacity: 10",
        "capacity: -1",
        "capacity: -1",
        "managers[1] (id m-02): capacity",
        "greater than or equal to 0 (got -1)",
        id="negative-capacity",
    ),
    pytest.param(
        "{from: 2026-12-01, to: 2026-12-10}",
        "{from: 2026-12-01, to: 2026-11-20}",
        "absences:",
        "managers[1] (id m-02): absences[0]",
        "absence ends (2026-11-20) before it starts (2026-12-01)",
        id="absence-ends-before-start",
    ),
    pytest.param(
        "    districts: [braunschweig]\n",
        "    districts: [berlin]\n",
        "districts: [berlin]",
        "partners[0] (id p-01): districts[0]",
        "unknown district 'berlin'",
        id="unknown-partner-district",
    ),
    pytest.param(
        "districts: [wolfsburg, gifhorn]",
        "districts: [wolfsburg, atlantis]",
        "atlantis",
        "sites[1] (code wolfsburg): districts[1]",
        "unknown district 'atlantis'",
        id="unknown-site-district",
    ),
    pytest.param(
        "    districts: [braunschweig]\n",
        "    districts: [braunschweig]\n    colour: red\n",
        "colour: red",
        "partners[0] (id p-01): colour",
        "unknown field",
        id="unknown-field",
    ),
    pytest.param(
        "    name: Karim Haddad\n",
        '    name: "Karim\\r\\nBcc: x@example.net"\n',
        'name: "Karim',
        "managers[1] (id m-02): name",
        "one line of text, without control characters",
        id="name-with-a-line-break",
    ),
    pytest.param(
        "capacity: 10",
        "capacity: 100000000000",
        "capacity: 100000000000",
        "managers[1] (id m-02): capacity",
        "less than or equal to 10000",
        id="capacity-beyond-any-desk",
    ),
    pytest.param(
        "    name: Karim Haddad\n",
        "",
        "- id: m-02",
        "managers[1] (id m-02): name",
        "required field is missing",
        id="missing-field",
    ),
]


@pytest.mark.parametrize(("old", "new", "at", "where", "what"), FAULTS)
def test_bad_entry_names_file_line_entry_and_field(
    tmp_path: Path, region: Region, old: str, new: str, at: str, where: str, what: str
) -> None:
    text = _broken(old, new)
    error = _fault(tmp_path, text, region)
    path = tmp_path / "directory.yaml"
    assert len(error.problems) == 1, error.problems
    message = str(error)
    assert message.startswith(f"{path}:{_line(text, at)}: {where}: "), message
    assert what in message
    assert error.source == str(path)


def test_duplicate_id_names_both_entries(tmp_path: Path, region: Region) -> None:
    text = _broken("id: m-02", "id: m-01")
    error = _fault(tmp_path, text, region)
    path = tmp_path / "directory.yaml"
    assert str(error).splitlines() == [
        f"{path}:{_line(text, 'id: m-01', 1)}: managers[0] (id m-01): id: duplicate id 'm-01'",
        f"{path}:{_line(text, 'id: m-01', 2)}: managers[1] (id m-01): id: duplicate id 'm-01'",
    ]


def test_district_claimed_by_two_sites_is_reported(tmp_path: Path, region: Region) -> None:
    text = _broken("districts: [wolfsburg, gifhorn]", "districts: [wolfsburg, salzgitter]")
    error = _fault(tmp_path, text, region)
    assert len(error.problems) == 1
    assert error.problems[0].startswith(f"{_line(text, 'wolfsburg, salzgitter')}: sites[1]")
    assert "'salzgitter' is already served by site 'braunschweig'" in error.problems[0]


def test_invalid_yaml_names_the_line(tmp_path: Path, region: Region) -> None:
    text = _broken("languages: [de, en]", "languages: [de, en")
    error = _fault(tmp_path, text, region)
    path = tmp_path / "directory.yaml"
    assert len(error.problems) == 1
    # The parser notices the unclosed list on the next line, where `capacity:` starts.
    assert str(error).startswith(f"{path}:{_line(text, 'capacity: 20')}: not valid YAML")


def test_top_level_must_be_a_mapping(tmp_path: Path, region: Region) -> None:
    error = _fault(tmp_path, "- just\n- a list\n", region)
    assert error.problems == ["1: expected a mapping with sites, managers and partners"]


def test_several_faults_are_all_reported_in_line_order(tmp_path: Path, region: Region) -> None:
    text = (
        VALID.replace("site: wolfsburg\n", "site: hamburg\n")
        .replace("languages: [de, en]", "languages: [de, xx]")
        .replace("capacity: 10", "capacity: -5")
        .replace("    districts: [braunschweig]\n", "    districts: [berlin]\n")
    )
    error = _fault(tmp_path, text, region)
    assert [p.split(": ", 2)[:2] for p in error.problems] == [
        [str(_line(text, "[de, xx]")), "managers[0] (id m-01)"],
        [str(_line(text, "site: hamburg")), "managers[1] (id m-02)"],
        [str(_line(text, "capacity: -5")), "managers[1] (id m-02)"],
        [str(_line(text, "[berlin]")), "partners[0] (id p-01)"],
    ]
    assert "languages[1]" in error.problems[0]
    assert "site: unknown site 'hamburg'" in error.problems[1]
    assert "capacity:" in error.problems[2]
    assert "districts[0]: unknown district 'berlin'" in error.problems[3]


def test_districts_are_only_checked_when_given(tmp_path: Path) -> None:
    text = _broken("    districts: [braunschweig]\n", "    districts: [berlin]\n")
    directory = load_directory(_write(tmp_path, text))
    assert directory.partners[0].districts == ("berlin",)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(DirectoryError) as caught:
        load_directory(path)
    assert str(caught.value).startswith(f"{path}: cannot be read")
