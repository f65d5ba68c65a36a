"""Installs are reproducible: every import is a declared dependency, every package the
project pulls in is pinned by constraints.txt (resolved, with no registry address in
it), and the install paths use it."""

from __future__ import annotations

import ast
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1].parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
OURS = ("shared", "services", "welcomedesk", "tests", "bench")


def _declared() -> dict[str, str]:
    project = PYPROJECT["project"]
    lines = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    return {canonicalize_name(Requirement(line).name): line for line in lines}


def _pins() -> dict[str, str]:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (spec,) = requirement.specifier
            assert spec.operator == "==", line
            pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for folder in OURS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name not in OURS}


def test_every_import_is_a_declared_dependency() -> None:
    served = md.packages_distributions()
    declared = _declared()
    missing = []
    for name in sorted(_third_party_imports()):
        distributions = {canonicalize_name(d) for d in served.get(name, [name])}
        if not distributions & set(declared):
            missing.append(f"{name} ({', '.join(sorted(distributions))})")
    assert missing == []


def test_every_declared_dependency_is_pinned() -> None:
    loose = [line for line in _declared().values() if "==" not in line]
    assert loose == []


def test_constraints_pin_everything_installed_and_name_no_registry() -> None:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^\s*-", text), "an option line (an index or a source)"
    assert "://" not in text
    pins = _pins()
    # Everything the project needs, down the whole tree, is pinned at what is installed.
    wanted = [Requirement(line) for line in _declared().values()]
    seen: set[str] = set()
    while wanted:
        requirement = wanted.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        assert name in pins, f"{name} is not in constraints.txt"
        assert md.version(name) == pins[name], f"{name}: installed {md.version(name)}"
        for line in md.requires(name) or []:
            child = Requirement(line)
            extras = requirement.extras or {""}
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in extras):
                wanted.append(child)


def test_installs_use_the_constraints_and_the_license_is_spdx() -> None:
    assert isinstance(PYPROJECT["project"]["license"], str)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt", makefile)
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install .*-c constraints\.txt", dockerfile)
    assert "constraints.txt" in dockerfile.split("RUN pip install")[0]  # copied first
