"""Replies under load: from a manager's POST of the reply form to the mail at the SMTP server.

    python -m bench.replies [--cases 20000] [--managers 20] [--readers 20] [--rate 10]
                            [--seconds 30] [--pause 0.5] [--notification-workers 1]

Fills a database of its own on this machine's PostgreSQL (dropped afterwards) with a desk's
worth of cases, and uses a Redis database index of its own as the broker. Starts the
processes as deployed: the web process (`welcomedesk serve`), the outbox relay and the
notifications worker, with an aiosmtpd server in a process of its own as the far end.
`--readers` managers, each signed in with a session of their own, read their lists and
open their cases (a random pause, mean `--pause` s, before each request) while managers
post the reply form (multipart, as the browser sends it) at `--rate` replies a second,
each on a case of their own. Prints p50, p99 and the worst time from the POST to the
reply's arrival at the SMTP server, and the readers' own figures beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import redis

from bench.arrivals import Arrivals, arrivals_sink
from bench.desk_data import PASSWORD, Workspace, fill
from bench.desk_load import Browser, Call, Timings, run_phase
from bench.processes import CLI, SECRET, processes
from tests.support.servers import database, free_port, postgres_server, wait_for_port

P99_TARGET = 1000.0  # milliseconds, POST to SMTP
REPLY = (
    "Guten Tag,\n\nvielen Dank für Ihre Anfrage. Für die Anerkennung Ihres Abschlusses "
    "ist die zuständige Stelle die Kammer. Gerne vereinbaren wir einen Beratungstermin.\n\n"
    "Mit freundlichen Grüßen"
)


@dataclass
class Sent:
    """When each reply's POST left (wall clock, to compare with the SMTP server's clock)."""

    at: dict[str, float] = field(default_factory=dict)  # reference -> time.time()
    refused: list[int] = field(default_factory=list)  # the status of each unexpected answer
    post: Timings = field(default_factory=Timings)  # the POST's own answer time


async def _reply(browser: Browser, reference: str, version: int, sent: Sent) -> None:
    form = aiohttp.FormData(default_to_multipart=True)
    for name, value in (("csrf_token", browser.csrf), ("version", str(version)), ("text", REPLY)):
        form.add_field(name, value)
    start, clock = time.time(), time.perf_counter()
    async with browser.http.post(
        f"/cases/{reference}/replies", data=form, allow_redirects=False
    ) as answer:
        await answer.read()
        sent.post.seconds.append(time.perf_counter() - clock)
        if answer.status == 303:
            sent.at[reference] = start
        else:
            sent.refused.append(answer.status)


async def _post_replies(
    repliers: list[Browser], work: Workspace, rate: float, count: int, sent: Sent
) -> None:
    """Reply `count` times at `rate` a second, the managers taking turns."""
    tasks = []
    begin = time.perf_counter()
    for i in range(count):
        await asyncio.sleep(max(0.0, begin + i / rate - time.perf_counter()))
        browser = repliers[i % len(repliers)]
        reference, version = work.assigned[str(browser.data["manager"])].pop()
        tasks.append(asyncio.create_task(_reply(browser, reference, version, sent)))
    await asyncio.gather(*tasks)
    sent.post.wall = time.perf_counter() - begin


def _reads(work: Workspace, rng: random.Random) -> Callable[[Browser], Call]:
    """A reader opens one of their cases, or now and then their list."""

    def next_call(browser: Browser) -> Call:
        manager = str(browser.data["manager"])
        if rng.random() < 0.3:
            return Call("/cases?view=mine")
        return Call(f"/cases/{rng.choice(work.cases[manager])}")

    return next_call


async def measure(
    work: Workspace, url: str, sink: Arrivals, args: argparse.Namespace
) -> tuple[Sent, Timings, dict[str, float]]:
    managers = sorted(work.managers)
    readers = [Browser.open(url, work.managers[m]) for m in managers[: args.readers]]
    repliers = [Browser.open(url, work.managers[m]) for m in managers]
    for browser, manager in [
        *zip(readers, managers, strict=False),
        *zip(repliers, managers, strict=True),
    ]:
        browser.data["manager"] = manager
    reads, sent = Timings(), Sent()
    arrived: dict[str, float] = {}
    try:
        for browser in readers + repliers:
            await browser.sign_in(PASSWORD)
        # Warm up: templates compiled, connections open, the worker's first mail sent.
        warm = Sent()
        for browser in repliers[:2]:
            reference, version = work.assigned[str(browser.data["manager"])].pop()
            await _reply(browser, reference, version, warm)
        _wait_for(sink, set(warm.at), {}, 60)
        stop = asyncio.Event()
        reading = asyncio.create_task(
            run_phase(
                readers,
                _reads(work, random.Random(7)),
                requests=10**9,
                pause=args.pause,
                into=reads,
                stop=stop,
            )
        )
        await asyncio.sleep(2)  # the readers under way before the first reply
        count = int(args.rate * args.seconds)
        await _post_replies(repliers, work, args.rate, count, sent)
        # The readers go on until the last reply has arrived, as they would.
        await asyncio.to_thread(_wait_for, sink, set(sent.at), arrived, 60)
        stop.set()
        await reading
        return sent, reads, arrived
    finally:
        for browser in readers + repliers:
            await browser.close()


def _wait_for(sink: Arrivals, references: set[str], into: dict[str, float], limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        sink.collect(into)
        if references <= set(into):
            return
        time.sleep(0.02)


def report(sent: Sent, reads: Timings, arrived: dict[str, float], args: argparse.Namespace) -> bool:
    waits = sorted(arrived[r] - t for r, t in sent.at.items() if r in arrived)
    count = int(args.rate * args.seconds)
    print(
        f"replies: {count} reply forms posted at {args.rate:g}/s over {args.seconds} s by "
        f"{args.managers} managers while {args.readers} signed-in managers read their cases "
        f"(a pause of {args.pause:g} s on average); {args.notification_workers} "
        f"notifications worker(s), one relay, one web process"
    )
    if not waits:
        print("  no reply arrived at the SMTP server  MISSED")
        return False
    p50 = statistics.median(waits) * 1000
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))] * 1000
    ok = p99 < P99_TARGET and len(waits) == count
    print(
        f"  POST to mail at the SMTP server: p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"max {waits[-1] * 1000:.0f} ms over {len(waits)}/{count} replies "
        f"(target p99 < {P99_TARGET:.0f} ms) {'ok' if ok else 'MISSED'}"
    )
    print(
        f"  the POST's own answer (303 back to the case): p50 {sent.post.percentile(0.5):.0f} "
        f"ms, p99 {sent.post.percentile(0.99):.0f} ms"
        + (f"; refused: {sent.refused}" if sent.refused else "")
    )
    print(
        f"  the readers meanwhile: {len(reads.seconds)} pages, p50 {reads.percentile(0.5):.0f} "
        f"ms, p95 {reads.percentile(0.95):.0f} ms"
        + (f" ({reads.unexpected} unexpected answers)" if reads.unexpected else "")
    )
    return ok


def run(db_url: str, folder: Path, work: Workspace, args: argparse.Namespace) -> bool:
    broker = f"redis://127.0.0.1:6379/{11 + uuid.uuid4().int % 4}"
    try:
        with arrivals_sink(free_port(), kind="reply") as sink:
            port = free_port()
            env = {
                "WELCOMEDESK_DATABASE_URL": db_url,
                "WELCOMEDESK_BROKER_URL": broker,
                "WELCOMEDESK_SMTP_URL": sink.url,
                "WELCOMEDESK_SECRET_KEY": SECRET,
                "WELCOMEDESK_PORT": str(port),
                "WELCOMEDESK_BASE_URL": f"http://127.0.0.1:{port}",
                "WELCOMEDESK_LOG_LEVEL": "WARNING",
            }
            solo = ["--pool", "solo"]
            workers = [[*CLI, "worker", "notifications", *solo]] * args.notification_workers
            with processes(env, folder, [*CLI, "serve"], [*CLI, "relay"], *workers):
                wait_for_port(port, 60)
                time.sleep(3)  # workers connected
                sent, reads, arrived = asyncio.run(
                    measure(work, f"http://127.0.0.1:{port}", sink, args)
                )
    finally:
        redis.Redis.from_url(broker).flushdb()
    return report(sent, reads, arrived, args)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--managers", type=int, default=20)
    parser.add_argument("--readers", type=int, default=20, help="signed-in managers reading")
    parser.add_argument("--rate", type=float, default=10, help="replies a second")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.5, help="readers' mean pause, s")
    parser.add_argument("--notification-workers", type=int, default=1)
    args = parser.parse_args()
    # Each manager replies on cases assigned to them: enough for the run and its warm-up.
    fresh = math.ceil(args.rate * args.seconds / args.managers) + 2
    with tempfile.TemporaryDirectory(prefix="wd-bench-") as tmp, postgres_server() as admin:
        folder = Path(tmp)
        with database(admin, prefix="wd_bench") as db_url:
            work = fill(db_url, folder, cases=args.cases, managers=args.managers, fresh=fresh)
            ok = run(db_url, folder, work, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
