"""Reading a directory file, with errors that name the file, the entry and the field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from shared.directory.model import Directory
from shared.yamlfile import LOADER, parse_yaml

Loc = tuple[int | str, ...]


class DirectoryError(ValueError):
    """A directory that cannot be used; `problems` lists every fault found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}:{p}" for p in problems))


def _line_index(node: yaml.Node | None, loc: Loc = ()) -> dict[Loc, int]:
    """1-based line of every entry and field in the YAML document, by its location."""
    lines: dict[Loc, int] = {}
    if node is None:
        return lines
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = (*loc, str(key.value))
            lines[child] = key.start_mark.line + 1
            lines.update({k: v for k, v in _line_index(value, child).items() if k != child})
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*loc, i)))
    return lines


def describe(loc: Loc, data: Any) -> str:
    """'managers[2] (id m-03): languages[1]' for a location in the document."""
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        section, index, rest = loc[0], loc[1], loc[2:]
        entry = f"{section}[{index}]"
        try:
            item = data[section][index]
            key = "code" if section == "sites" else "id"
            if isinstance(item, dict) and item.get(key) is not None:
                entry += f" ({key} {item[key]})"
        except (KeyError, IndexError, TypeError):
            pass
    else:
        entry, rest = "", loc
    field = ""
    for part in rest:
        if part == "[key]":  # pydantic's marker for a mapping's key: the key names it already
            continue
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return ": ".join(p for p in (entry, field) if p) or "(top level)"


def _where(loc: Loc, data: Any, lines: dict[Loc, int]) -> str:
    return f"{_line_of(loc, lines)}: {describe(loc, data)}"


def _duplicates(values: Iterable[str]) -> set[str]:
    return {v for v, n in Counter(values).items() if n > 1}


def _entries(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    value = data.get(section)
    if not isinstance(value, list):
        return []
    return [e if isinstance(e, dict) else {} for e in value]


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _cross_checks(data: dict[str, Any], districts: frozenset[str] | None) -> list[tuple[Loc, str]]:
    """Faults between entries; on the raw data, so they are reported beside field faults."""
    found: list[tuple[Loc, str]] = []
    for section, key in (("sites", "code"), ("managers", "id"), ("partners", "id")):
        entries = _entries(data, section)
        dup = _duplicates(str(e[key]) for e in entries if e.get(key) is not None)
        for i, e in enumerate(entries):
            if e.get(key) is not None and str(e[key]) in dup:
                found.append(((section, i, key), f"duplicate {key} {e[key]!r}"))
    site_codes = {str(s.get("code")) for s in _entries(data, "sites")}
    claimed: dict[str, str] = {}
    for i, site in enumerate(_entries(data, "sites")):
        for j, district in enumerate(_strings(site.get("districts"))):
            if districts is not None and district not in districts:
                found.append((("sites", i, "districts", j), f"unknown district {district!r}"))
            elif claimed.setdefault(district, str(site.get("code"))) != site.get("code"):
                found.append(
                    (
                        ("sites", i, "districts", j),
                        f"district {district!r} is already served by site {claimed[district]!r}",
                    )
                )
    for i, manager in enumerate(_entries(data, "managers")):
        if "site" in manager and str(manager["site"]) not in site_codes:
            known = ", ".join(sorted(site_codes))
            found.append((("managers", i, "site"), f"unknown site {manager['site']!r} ({known})"))
    for i, partner in enumerate(_entries(data, "partners")):
        for j, district in enumerate(_strings(partner.get("districts"))):
            if districts is not None and district not in districts:
                found.append((("partners", i, "districts", j), f"unknown district {district!r}"))
    return found


def check_directory(
    data: dict[str, Any], districts: frozenset[str] | None
) -> tuple[Directory | None, list[tuple[Loc, str]]]:
    """The directory in plain data (as parsed from YAML, or as the desk's forms give it)
    validated, or None and every fault found, each at its location in `data`."""
    faults = _cross_checks(data, districts)
    try:
        directory = Directory.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        locs = [tuple(e["loc"]) for e in errors]
        for err, loc in zip(errors, locs, strict=True):
            # A too-short list whose items failed says nothing the item errors do not.
            if err["type"] == "too_short" and any(o[: len(loc)] == loc != o for o in locs):
                continue
            faults.append((loc, _message(err)))
    return (None if faults else directory), faults


def parse_directory(
    text: str, source: str, *, districts: frozenset[str] | None = None
) -> Directory:
    """A validated directory; `districts` are the known district codes, if checked."""
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else ""
        raise DirectoryError(source, [f"{line}: not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise DirectoryError(source, ["1: expected a mapping with sites, managers and partners"])
    directory, faults = check_directory(data, districts)
    if directory is None:
        # Line numbers only when needed: a second parse costs as much as the first.
        lines = _line_index(yaml.compose(text, Loader=LOADER))
        faults.sort(key=lambda f: _line_of(f[0], lines))
        raise DirectoryError(source, [f"{_where(loc, data, lines)}: {msg}" for loc, msg in faults])
    return directory


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int:
    return next((lines[loc[:cut]] for cut in range(len(loc), -1, -1) if loc[:cut] in lines), 0)


def _message(err: Any) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "missing":
        return "required field is missing"
    if (
        "input" in err
        and err["type"] not in ("value_error",)
        and not isinstance(err["input"], dict | list)
    ):
        msg += f" (got {err['input']!r})"
    return msg


def load_directory(path: Path, *, districts: frozenset[str] | None = None) -> Directory:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DirectoryError(str(path), [f" cannot be read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise DirectoryError(str(path), [f" not UTF-8 text: {exc.reason}"]) from exc
    return parse_directory(text, str(path), districts=districts)
