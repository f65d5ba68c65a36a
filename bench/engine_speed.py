"""How fast and how big the routing engine is: decisions per second, start-up, peak memory.

Rates are counted against wall time and against the process's own CPU time: on a
machine shared with other work the wall clock also counts the time the core spent on
someone else, while CPU time is what one core gives the engine.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.routing.engine import Ledger, RoutingEngine
from shared.directory import load_directory
from shared.enquiry import RouteRequest
from shared.region import load_region

# Runs one command and reports the peak memory and CPU time of it alone
# (RUSAGE_CHILDREN adds up, or takes the maximum over, every child a process ever had).
_USAGE = (
    "import resource, subprocess, sys; "
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "sys.stderr.write(done.stderr[-2000:]); "
    "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(use.ru_maxrss, use.ru_utime + use.ru_stime); "
    "sys.exit(done.returncode)"
)


@dataclass(frozen=True)
class Rate:
    wall: float  # decisions per second of elapsed time
    cpu: float  # decisions per second of this process's CPU time


def speed(
    directory_path: Path, enquiries: list[dict[str, Any]], decisions: int, day: dt.date
) -> Rate:
    region = load_region()
    engine = RoutingEngine(load_directory(directory_path, districts=region.districts), region)
    requests = [RouteRequest.model_validate(e) for e in enquiries]
    ledger = Ledger(engine.directory)
    for request in requests:  # warm up: language models load on first use
        engine.decide(request, day=day, loads=ledger.loads)
    ledger = Ledger(engine.directory)
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(decisions):
        ledger.decide(engine, requests[i % len(requests)], day=day)
    return Rate(decisions / (time.perf_counter() - wall), decisions / (time.process_time() - cpu))


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds of CPU time
    peak_mb: float


def route_run(cli: Path, directory_path: Path, lines: list[str], at: str) -> Run:
    """Time and peak memory of one `welcomedesk route` process."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as feed:
        feed.write("\n".join(lines) + "\n")
    command = [str(cli), "route", "--directory", str(directory_path), "--input", feed.name]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _USAGE, *command, "--at", at],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    Path(feed.name).unlink()
    if proc.returncode != 0:
        sys.exit(f"welcomedesk route failed: {proc.stderr[-2000:]}")
    peak_kb, cpu = proc.stdout.split()[-2:]
    return Run(elapsed, float(cpu), int(peak_kb) / 1024)
