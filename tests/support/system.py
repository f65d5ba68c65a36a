"""The system under test as real processes: intake, workers and beat, started by our CLI."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from tests.support.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = [sys.executable, "-m", "welcomedesk"]
T = TypeVar("T")


def wait_until(
    check: Callable[[], T | None],
    timeout: float = 20.0,
    what: str | Callable[[], str] = "",
) -> T:
    """`what` names what was awaited; a callable is asked only on failure (it may say
    what was seen instead)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    said = what() if callable(what) else what
    raise TimeoutError(f"not within {timeout} s: {said or check}")


@dataclass
class System:
    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = {**os.environ, **self.env}
        env["WELCOMEDESK_PORT"] = str(self.port)
        env["WELCOMEDESK_BASE_URL"] = self.base_url
        env["PYTHONPATH"] = str(ROOT)
        return env

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*CLI, *args],
            cwd=self.workdir,
            env=self._env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> None:
        """Starts a process; `env` adds variables for this one alone."""
        with (self.workdir / f"{name}.log").open("ab") as log:  # the child keeps its copy
            self.processes[name] = subprocess.Popen(
                [*CLI, *args],
                cwd=self.workdir,
                env={**self._env(), **(env or {})},
                stdout=log,
                stderr=log,
            )
        if name == "intake":
            wait_for_port(self.port, timeout=30)

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def post(self, body: dict[str, Any], **headers: str) -> httpx.Response:
        return httpx.post(
            f"{self.base_url}/api/v1/enquiries", json=body, headers=headers, timeout=10
        )


def at_once(call: Callable[[], T], count: int = 2, timeout: float = 120.0) -> list[T]:
    """Runs `call` in `count` threads released together; their results, in finishing order."""
    start = threading.Barrier(count)
    results: list[T] = []

    def run() -> None:
        start.wait()
        results.append(call())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert len(results) == count, "a run did not finish"
    return results
