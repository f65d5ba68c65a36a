"""The benchmark's own processes: the CLI started as separate programs, stopped at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "welcomedesk"]
SECRET = "bench-secret-key-0123456789abcdef"


@contextmanager
def processes(
    env: dict[str, str], cwd: Path, *commands: list[str]
) -> Iterator[list[subprocess.Popen[bytes]]]:
    children: list[subprocess.Popen[bytes]] = []
    full_env = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    try:
        for command in commands:
            log = (cwd / f"{command[-1]}-{len(children)}.log").open("ab")
            children.append(
                subprocess.Popen(command, cwd=cwd, env=full_env, stdout=log, stderr=log)
            )
            log.close()
        yield children
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
