"""The region's postal codes and towns, read from editable data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from shared.text import fold_name
from shared.yamlfile import parse_yaml

_POSTAL_CODE = re.compile(r"^\d{5}$")


class RegionDataError(ValueError):
    """The region file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Region:
    postal_codes: Mapping[str, str]  # five-digit code -> district
    towns: Mapping[str, str]  # folded town name -> district
    town_names: Mapping[str, str]  # folded town name -> the name as written in the data
    common_words: frozenset[str] = frozenset()  # folded town names that are also plain words

    @property
    def districts(self) -> frozenset[str]:
        return frozenset(self.postal_codes.values()) | frozenset(self.towns.values())

    def district_for_postal_code(self, code: str | None) -> str | None:
        if not code:
            return None
        return self.postal_codes.get(code.strip().replace(" ", ""))

    def district_for_city(self, city: str | None) -> str | None:
        if not city:
            return None
        folded = fold_name(city)
        found = self.towns.get(folded)
        if found:
            return found
        # "38100 Braunschweig", "Braunschweig-Weststadt", "Wolfsburg, Germany"
        for part in re.split(r"[\s,/()-]+", folded):
            if part in self.towns:
                return self.towns[part]
        return None

    def with_towns(self, extra: Mapping[str, Iterable[str]]) -> Region:
        """The region with more names for its towns (other scripts and languages)."""
        towns = dict(self.towns)
        names = dict(self.town_names)
        for district, spellings in extra.items():
            for spelling in spellings:
                folded = fold_name(spelling)
                towns.setdefault(folded, district)
                names.setdefault(folded, spelling)
        return Region(self.postal_codes, towns, names, self.common_words)


def parse_region(data: object, source: str) -> Region:
    if not isinstance(data, dict) or not isinstance(data.get("districts"), dict):
        raise RegionDataError(f"{source}: expected a mapping 'districts: {{code: ...}}'")
    codes: dict[str, str] = {}
    towns: dict[str, str] = {}
    names: dict[str, str] = {}
    common: set[str] = set()
    for district, entry in data["districts"].items():
        where = f"{source}: districts.{district}"
        if not isinstance(entry, dict):
            raise RegionDataError(f"{where}: expected postal_codes and towns")
        for raw in entry.get("postal_codes") or []:
            code = str(raw).strip()
            if not _POSTAL_CODE.match(code):
                raise RegionDataError(f"{where}.postal_codes: {raw!r} is not a five-digit code")
            if codes.get(code, district) != district:
                raise RegionDataError(
                    f"{where}.postal_codes: {code} is already in district {codes[code]}"
                )
            codes[code] = district
        for raw in entry.get("towns") or []:
            folded = fold_name(str(raw))
            if not folded:
                raise RegionDataError(f"{where}.towns: empty town name")
            towns.setdefault(folded, str(district))
            names.setdefault(folded, str(raw))
        for raw in entry.get("common_words") or []:
            if fold_name(str(raw)) not in towns:
                raise RegionDataError(f"{where}.common_words: {raw!r} is not one of its towns")
            common.add(fold_name(str(raw)))
    return Region(codes, towns, names, frozenset(common))


def load_region(path: Path | None = None) -> Region:
    """The region from `path`, or the region shipped with welcomedesk."""
    if path is None:
        source = "shared/data/region.yaml"
        text = resources.files("shared").joinpath("data/region.yaml").read_text(encoding="utf-8")
    else:
        source = str(path)
        text = path.read_text(encoding="utf-8")
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise RegionDataError(f"{source}: not valid YAML: {exc}") from exc
    return parse_region(data, source)
