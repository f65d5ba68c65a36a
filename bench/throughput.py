"""Enquiries accepted durably per second, beside a bare one-INSERT endpoint with the same
driver: both served at once, loaded by wrk in turns. Part of `python -m bench.services`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.processes import CLI, SECRET, processes
from tests.support.servers import free_port, wait_for_port


def wrk(url: str, body: dict[str, Any], *, seconds: int, clients: int) -> tuple[float, int]:
    """Requests per second that got a 2xx answer, and the number of other answers."""
    binary = shutil.which("wrk")
    if binary is None:
        sys.exit("wrk is not installed: `make system-deps` installs it")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
    out = subprocess.run(
        [binary, "-t2", f"-c{clients}", f"-d{seconds}s", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(script.name).unlink()
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = int(bad_match.group(1)) if bad_match else 0
    return (total - bad) / seconds, bad


def throughput(
    db_url: str, broker: str, folder: Path, seconds: int, clients: int, rounds: int = 4
) -> None:
    """Ours and the bare endpoint, both served at once and loaded in turns (`rounds` slices
    each), so that a machine that gets slower or faster during the run favours neither."""
    body = {
        "message": "Ich möchte meinen Abschluss anerkennen lassen.",
        "consent_processing": True,
        "email": "bench@example.net",
    }
    port, bare_port = free_port(), free_port()
    env = {
        "WELCOMEDESK_DATABASE_URL": db_url,
        "WELCOMEDESK_BROKER_URL": broker,
        "WELCOMEDESK_SECRET_KEY": SECRET,
        "WELCOMEDESK_PORT": str(port),
        "WELCOMEDESK_BASE_URL": f"http://127.0.0.1:{port}",
        "WELCOMEDESK_RATE_LIMIT": "100000000/minute",
        "WELCOMEDESK_LOG_LEVEL": "WARNING",
        "BARE_DATABASE_URL": db_url,
    }
    uvicorn = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare_app:create_app",
        "--factory",
        "--workers",
        "2",
        "--port",
        str(bare_port),
        "--log-level",
        "warning",
    ]
    ours = bare = 0.0
    ours_bad = bare_bad = 0
    piece = max(1, seconds // rounds)
    with processes(env, folder, [*CLI, "serve", "--workers", "2"], uvicorn):
        wait_for_port(port, 60)
        wait_for_port(bare_port, 60)
        for _ in range(rounds):
            rate, bad = wrk(
                f"http://127.0.0.1:{port}/api/v1/enquiries", body, seconds=piece, clients=clients
            )
            ours, ours_bad = ours + rate / rounds, ours_bad + bad
            rate, bad = wrk(
                f"http://127.0.0.1:{bare_port}/api/v1/enquiries",
                body,
                seconds=piece,
                clients=clients,
            )
            bare, bare_bad = bare + rate / rounds, bare_bad + bad
    ratio = ours / bare if bare else 0.0
    verdict = "ok" if ratio >= 0.6 else "MISSED"
    print(
        f"intake: {ours:,.0f} enquiries/s accepted durably ({ours_bad} not 2xx); "
        f"bare INSERT endpoint: {bare:,.0f}/s ({bare_bad} not 2xx); ratio {ratio:.2f} "
        f"(target >= 0.6) {verdict}  [{clients} clients, {rounds} x {piece} s each in turns, "
        "2 uvicorn workers each, 16 threads and database connections per worker]"
    )
