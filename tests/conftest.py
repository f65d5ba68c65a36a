"""Fixtures shared by every test: the shipped region, the demo directory, an engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.routing.engine import RoutingEngine
from shared.directory import Directory, load_directory
from shared.region import Region, load_region

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
