"""The referee's own tool finds no broken policy rule in `welcomedesk route`'s decisions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.routing import large_directory

AT = "2026-11-26T10:00:00+01:00"


def _routecheck(
    handout: Path, repo_root: Path, directory: Path
) -> subprocess.CompletedProcess[str]:
    tool = handout / "tools" / "routecheck.py"
    corpus = handout / "corpora" / "enquiries" / "dev.jsonl"
    assert tool.is_file() and corpus.is_file(), "the handout lacks routecheck.py or dev.jsonl"
    assert (repo_root / ".venv" / "bin" / "welcomedesk").exists(), "run `make install` first"
    return subprocess.run(
        [sys.executable, str(tool), str(corpus), str(directory), AT, "--continuity"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_no_policy_break_with_the_demo_directory(
    handout: Path, repo_root: Path, demo_directory_path: Path
) -> None:
    proc = _routecheck(handout, repo_root, demo_directory_path)
    assert "policy:" not in proc.stdout, proc.stdout
    assert "policy_breaks=0" in proc.stdout.splitlines()[-1], proc.stdout + proc.stderr


@pytest.mark.slow
def test_no_policy_break_with_a_large_directory(
    handout: Path, repo_root: Path, tmp_path: Path
) -> None:
    directory = tmp_path / "large.yaml"
    large_directory(directory, managers=300, partners=1500)
    proc = _routecheck(handout, repo_root, directory)
    assert "policy:" not in proc.stdout, proc.stdout
    assert "policy_breaks=0" in proc.stdout.splitlines()[-1], proc.stdout + proc.stderr
