"""Service figures: enquiries accepted durably per second beside a bare INSERT endpoint,
and the latency from POST to the manager's mail at the SMTP server.

    python -m bench.services [--seconds 20] [--clients 50] [--rate 50] [--embedded-rate 5]

Runs on this machine's PostgreSQL and Redis (a database and a Redis database index of
its own, removed afterwards), with real worker processes and an aiosmtpd server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import redis
import yaml

from bench.arrivals import arrivals_sink
from bench.processes import CLI, ROOT, SECRET, processes
from bench.routing import example_enquiries
from bench.throughput import throughput
from tests.support.servers import database, free_port, postgres_server, wait_for_port

DEMO = ROOT / "shared" / "data" / "demo_directory.yaml"


def roomy_directory(folder: Path) -> Path:
    """The demo directory with room for every enquiry a run sends."""
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    for manager in data["managers"]:
        manager["capacity"] = 10_000  # the most the directory allows
        manager["absences"] = []
    path = folder / "directory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def _post_at_rate(
    url: str, rate: float, count: int, enquiries: list[dict[str, Any]]
) -> dict[str, float]:
    """Posts `count` enquiries at `rate` per second; returns reference -> wall-clock time sent.

    aiohttp rather than httpx: the load generator shares the two cores with the system
    it measures, and aiohttp spends a third of httpx's CPU per request."""
    sent: dict[str, float] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:

        async def one(i: int) -> None:
            e = enquiries[i % len(enquiries)]
            body = {
                "message": e["message"],
                "subject": e["subject"],
                "consent_processing": True,
                "email": f"latency-{i}-{uuid.uuid4().hex[:6]}@example.net",
            }
            start = time.time()
            async with client.post(url, json=body) as response:
                if response.status == 202:
                    sent[(await response.json())["reference"]] = start

        tasks = []
        begin = time.perf_counter()
        for i in range(count):
            await asyncio.sleep(max(0.0, begin + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return sent


def _cpu_seconds(process: psutil.Process, *, children: bool = True) -> float:
    """User and system CPU of a process and its children (a prefork pool's workers)."""
    try:
        family = [process, *(process.children(recursive=True) if children else [])]
    except psutil.NoSuchProcess:
        return 0.0
    return _sum_cpu(family)


def _sum_cpu(processes: list[psutil.Process]) -> float:
    """User and system CPU of the processes that still run."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _load_cpu(load: list[psutil.Process]) -> list[float]:
    """The load generator (this process alone) and the SMTP server; the servers."""
    return [_cpu_seconds(p, children=False) for p in load] + [_servers_cpu()]


def _servers_cpu() -> float:
    """CPU of this machine's PostgreSQL and Redis processes (the servers the system uses)."""
    servers = [
        process
        for process in psutil.process_iter(["name"])
        if (process.info["name"] or "").startswith(("postgres", "redis-server"))
    ]
    return _sum_cpu(servers)


def latency(
    env: dict[str, str],
    folder: Path,
    *,
    rate: float,
    seconds: int,
    label: str,
    target_p50: float | None,
    target_p99: float,
    notification_workers: int = 1,
    routing_workers: int = 1,
) -> None:
    arrivals: dict[str, float] = {}
    examples = example_enquiries()
    with arrivals_sink(free_port()) as sink:
        port = free_port()
        env = {
            **env,
            "WELCOMEDESK_SMTP_URL": sink.url,
            "WELCOMEDESK_PORT": str(port),
            "WELCOMEDESK_BASE_URL": f"http://127.0.0.1:{port}",
            "WELCOMEDESK_SECRET_KEY": SECRET,
            "WELCOMEDESK_RATE_LIMIT": "100000000/minute",
            "WELCOMEDESK_LOG_LEVEL": "WARNING",
            "WELCOMEDESK_CONFIRMATION_LIMIT": "1000/hour",
        }
        solo = ["--pool", "solo"]
        services = [
            ("intake", [*CLI, "serve"]),
            *[("routing", [*CLI, "worker", "routing", *solo])] * routing_workers,
            *[("notifications", [*CLI, "worker", "notifications", *solo])] * notification_workers,
            ("relay", [*CLI, "relay"]),
            ("beat", [*CLI, "beat"]),
        ]
        with processes(env, folder, *(command for _, command in services)) as children:
            wait_for_port(port, 60)
            time.sleep(3)  # workers connected and warm
            watched = [psutil.Process(child.pid) for child in children]
            load = [psutil.Process(), psutil.Process(sink.pid)]
            before = [_cpu_seconds(p) for p in watched] + _load_cpu(load)
            count = int(rate * seconds)
            sent = asyncio.run(
                _post_at_rate(f"http://127.0.0.1:{port}/api/v1/enquiries", rate, count, examples)
            )
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                sink.collect(arrivals)
                if set(sent) <= set(arrivals):
                    break
                time.sleep(0.05)
            after = [_cpu_seconds(p) for p in watched] + _load_cpu(load)
    waits = sorted(arrivals[r] - t for r, t in sent.items() if r in arrivals)
    if not waits:
        print(f"{label}: no manager mail arrived")
        return
    p50 = statistics.median(waits) * 1000
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))] * 1000
    ok = (target_p50 is None or p50 < target_p50) and p99 < target_p99
    target = (f"p50 < {target_p50:.0f} ms, " if target_p50 else "") + f"p99 < {target_p99:.0f} ms"
    workers = (
        f"; {routing_workers} routing and {notification_workers} notifications workers"
        if routing_workers > 1 or notification_workers > 1
        else ""
    )
    print(
        f"{label}: POST to manager mail p50 {p50:.0f} ms, p99 {p99:.0f} ms, max "
        f"{waits[-1] * 1000:.0f} ms over {len(waits)}/{len(sent)} enquiries at {rate:g}/s "
        f"(target {target}) {'ok' if ok else 'MISSED'}{workers}"
    )
    ms = [1000 * (a - b) / max(1, len(sent)) for a, b in zip(after, before, strict=True)]
    per_service: dict[str, float] = {}
    for (name, _), value in zip(services, ms, strict=False):
        per_service[name] = per_service.get(name, 0.0) + value
    per = ", ".join(f"{name} {value:.1f}" for name, value in per_service.items())
    print(f"  CPU per enquiry (ms): {per}; total {sum(per_service.values()):.1f}")
    client, sink_cpu, servers = ms[len(services) :]
    print(
        f"  and on the same cores: load generator {client:.1f}, SMTP server {sink_cpu:.1f}, "
        f"database and broker servers {servers:.1f}"
    )


def setup_database(db_url: str, folder: Path, directory: Path, env: dict[str, str]) -> None:
    full = {
        **os.environ,
        **env,
        "WELCOMEDESK_DATABASE_URL": db_url,
        "WELCOMEDESK_SECRET_KEY": SECRET,
        "PYTHONPATH": str(ROOT),
    }
    for args in (["migrate"], ["directory", "import", str(directory)]):
        subprocess.run([*CLI, *args], cwd=folder, env=full, check=True, capture_output=True)


def server_figures(
    parts: set[str], folder: Path, directory: Path, args: argparse.Namespace
) -> None:
    """Throughput and latency on this machine's PostgreSQL and Redis."""
    index = 11 + uuid.uuid4().int % 4
    broker = f"redis://127.0.0.1:6379/{index}"
    with postgres_server() as admin:
        try:
            if "throughput" in parts:
                with database(admin) as db_url:
                    setup_database(db_url, folder, directory, {})
                    throughput(db_url, broker, folder, args.seconds, args.clients)
            if "latency" in parts:
                with database(admin) as db_url:
                    setup_database(db_url, folder, directory, {})
                    latency(
                        {"WELCOMEDESK_DATABASE_URL": db_url, "WELCOMEDESK_BROKER_URL": broker},
                        folder,
                        rate=args.rate,
                        seconds=args.latency_seconds,
                        label="PostgreSQL + Redis",
                        target_p50=100,
                        target_p99=300,
                        notification_workers=args.notification_workers,
                        routing_workers=args.routing_workers,
                    )
        finally:
            redis.Redis.from_url(broker).flushdb()


def embedded_figures(folder: Path, directory: Path, args: argparse.Namespace) -> None:
    embedded = folder / "embedded"
    embedded.mkdir()
    env = {
        "WELCOMEDESK_DATABASE_URL": f"sqlite:///{embedded}/welcomedesk.sqlite",
        "WELCOMEDESK_BROKER_URL": f"sqla+sqlite:///{embedded}/broker.sqlite",
    }
    setup_database(env["WELCOMEDESK_DATABASE_URL"], embedded, directory, env)
    latency(
        env,
        embedded,
        rate=args.embedded_rate,
        seconds=args.latency_seconds,
        label="embedded (SQLite, kombu SQLAlchemy transport)",
        target_p50=None,
        target_p99=1000,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--latency-seconds", type=int, default=10)
    parser.add_argument("--embedded-rate", type=float, default=5)
    parser.add_argument(
        "--routing-workers",
        type=int,
        default=1,
        help="routing worker processes on PostgreSQL + Redis (each a solo pool)",
    )
    parser.add_argument(
        "--notification-workers",
        type=int,
        default=2,
        help="notifications worker processes on PostgreSQL + Redis (each a solo pool)",
    )
    parser.add_argument(
        "--only",
        choices=["throughput", "latency", "embedded"],
        action="append",
        help="run only this part (repeatable); all by default",
    )
    args = parser.parse_args()
    parts = set(args.only or ["throughput", "latency", "embedded"])
    with tempfile.TemporaryDirectory(prefix="wd-bench-") as tmp:
        folder = Path(tmp)
        directory = roomy_directory(folder)
        if parts & {"throughput", "latency"}:
            server_figures(parts, folder, directory, args)
        if "embedded" in parts:
            embedded_figures(folder, directory, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
