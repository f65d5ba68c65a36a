"""The region data: postal codes by full code, towns in any spelling, errors naming districts."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.region import Region, RegionDataError, load_region, parse_region


@pytest.mark.parametrize(
    ("code", "district"),
    [
        ("38100", "braunschweig"),
        ("38440", "wolfsburg"),
        ("38162", "wolfenbuettel"),  # 381xx: not Braunschweig although it starts alike
        ("38154", "helmstedt"),
        ("38179", "gifhorn"),
        ("38159", "peine"),
        ("38226", "salzgitter"),
        ("37444", "goslar"),
    ],
)
def test_postal_code_maps_by_full_code(region: Region, code: str, district: str) -> None:
    assert region.district_for_postal_code(code) == district


@pytest.mark.parametrize("code", ["99999", "10115", "38101", "381", "3810", "", None])
def test_unknown_postal_code_gives_none(region: Region, code: str | None) -> None:
    assert region.district_for_postal_code(code) is None


def test_postal_code_tolerates_surrounding_spaces(region: Region) -> None:
    assert region.district_for_postal_code(" 38440 ") == "wolfsburg"


@pytest.mark.parametrize(
    "city", ["Wolfenbüttel", "wolfenbuettel", "WOLFENBUTTEL", "WOLFENBÜTTEL", "Wolfenbuettel"]
)
def test_city_matches_with_or_without_umlauts_in_any_case(region: Region, city: str) -> None:
    assert region.district_for_city(city) == "wolfenbuettel"


@pytest.mark.parametrize(
    ("city", "district"),
    [
        ("Braunschweig", "braunschweig"),
        ("Brunswick", "braunschweig"),
        ("Königslutter am Elm", "helmstedt"),
        ("koenigslutter", "helmstedt"),
        ("Bad Harzburg", "goslar"),
        ("Braunschweig-Weststadt", "braunschweig"),
        ("Wolfsburg, Germany", "wolfsburg"),
    ],
)
def test_city_names_and_variants(region: Region, city: str, district: str) -> None:
    assert region.district_for_city(city) == district


@pytest.mark.parametrize("city", ["Berlin", "Hannover", "", None])
def test_city_outside_the_region_gives_none(region: Region, city: str | None) -> None:
    assert region.district_for_city(city) is None


def test_districts_are_the_eight_of_the_region(region: Region) -> None:
    assert region.districts == {
        "braunschweig",
        "salzgitter",
        "wolfenbuettel",
        "peine",
        "goslar",
        "wolfsburg",
        "gifhorn",
        "helmstedt",
    }


def test_with_towns_adds_spellings_in_other_scripts(region: Region) -> None:
    more = region.with_towns({"wolfsburg": ["Вольфсбург"]})
    assert more.district_for_city("вольфсбург") == "wolfsburg"
    assert region.district_for_city("вольфсбург") is None  # the original is unchanged


@pytest.mark.parametrize("code", ["3810", "381000", "38 100", "ABCDE"])
def test_parse_region_rejects_a_code_that_is_not_five_digits(code: str) -> None:
    data = {"districts": {"northdale": {"postal_codes": [code], "towns": ["Northdale"]}}}
    with pytest.raises(RegionDataError) as caught:
        parse_region(data, "region.yaml")
    message = str(caught.value)
    assert message.startswith("region.yaml: districts.northdale.postal_codes")
    assert repr(code) in message
    assert "five-digit" in message


def test_parse_region_rejects_a_code_in_two_districts() -> None:
    data = {
        "districts": {
            "northdale": {"postal_codes": ["38100"]},
            "southdale": {"postal_codes": ["38101", "38100"]},
        }
    }
    with pytest.raises(RegionDataError) as caught:
        parse_region(data, "region.yaml")
    message = str(caught.value)
    assert "districts.southdale.postal_codes" in message
    assert "38100 is already in district northdale" in message


def test_parse_region_accepts_a_code_listed_twice_in_one_district() -> None:
    parsed = parse_region({"districts": {"a": {"postal_codes": ["38100", 38100]}}}, "r.yaml")
    assert parsed.district_for_postal_code("38100") == "a"


def test_parse_region_rejects_a_malformed_document() -> None:
    with pytest.raises(RegionDataError, match=r"^r\.yaml: expected a mapping"):
        parse_region(["not", "a", "mapping"], "r.yaml")
    with pytest.raises(RegionDataError, match=r"districts\.a: expected postal_codes and towns"):
        parse_region({"districts": {"a": ["38100"]}}, "r.yaml")


def test_load_region_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "region.yaml"
    path.write_text(
        "districts:\n  northdale:\n    postal_codes: ['12345']\n    towns: [Nordstädt]\n",
        encoding="utf-8",
    )
    loaded = load_region(path)
    assert loaded.district_for_postal_code("12345") == "northdale"
    assert loaded.district_for_city("NORDSTAEDT") == "northdale"


def test_load_region_names_the_file_of_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "region.yaml"
    path.write_text("districts: [unclosed\n", encoding="utf-8")
    with pytest.raises(RegionDataError) as caught:
        load_region(path)
    assert str(caught.value).startswith(f"{path}: not valid YAML")
