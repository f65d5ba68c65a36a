"""Fixtures shared by every test: the shipped region, the demo directory, an engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.routing.engine import RoutingEngine
from shared.directory import Directory, load_directory
from shared.region import Region, load_region
from tests.support.handout import HANDOUT

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIRECTORY = ROOT / "shared" / "data" / "demo_directory.yaml"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def demo_directory_path() -> Path:
    return DEMO_DIRECTORY


@pytest.fixture(scope="session")
def region() -> Region:
    return load_region()


@pytest.fixture(scope="session")
def demo_directory(region: Region) -> Directory:
    return load_directory(DEMO_DIRECTORY, districts=region.districts)


@pytest.fixture(scope="session")
def engine(demo_directory: Directory, region: Region) -> RoutingEngine:
    """Built once: the engine keeps no loads, only caches (staffing by day, partner fits)."""
    return RoutingEngine(demo_directory, region)


def require(condition: bool, reason: str) -> None:
    """Skip when a part outside the repository is missing; under CI, fail instead."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def handout() -> Path:
    """The handout folder beside the checkout (labelled corpora, the referee's tools)."""
    require(HANDOUT.is_dir(), f"no handout folder at {HANDOUT}")
    return HANDOUT
