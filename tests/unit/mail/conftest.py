"""The mail corpus fixture: skipped when the handout is missing, failed under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.unit.mail.support import CORPUS


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI: no mail corpus at {CORPUS}")
        pytest.skip(f"no mail corpus at {CORPUS}")
    return CORPUS.resolve()
