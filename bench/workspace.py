"""The managers' desk under load: signed-in people on a desk of 100,000 cases.

    python -m bench.workspace [--cases 100000] [--managers 40] [--clients 20] [--admins 1]
                              [--requests 30] [--rounds 3] [--pause 0.5] [--word WORD]

Fills a database of its own on this machine's PostgreSQL (dropped afterwards), starts
the web process as deployed (`welcomedesk serve`, one uvicorn worker) and beside it a
bare page that renders one template after one indexed SELECT, served the same way. Then
`--clients` browsers of managers sign in, each with its own session, and ask for their
cases, search them, open a case and accept a newly assigned one; `--admins` of them are
administrators' instead when all cases are searched, while the others go on loading their
lists. Each browser waits a random pause (exponential, mean `--pause` s) before each
request, as a person does; `--pause 0` sends them back to back (the most the process
serves). The kinds of request take turns in `--rounds` rounds, the bare page too, so
that a machine that gets busier during the run favours none. Prints p50 and p95 of each,
and the serving process's CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psutil

from bench.desk_data import ADMIN, PASSWORD, Workspace, cases_with, fill
from bench.desk_load import Browser, Call, Timings, run_phase
from bench.processes import CLI, SECRET, processes
from tests.support.servers import database, free_port, postgres_server, wait_for_port

PAGE_P95, ACTION_P95 = 150.0, 250.0  # the targets, milliseconds


def my_cases(_browser: Browser) -> Call:
    return Call("/cases?view=mine")


@dataclass(frozen=True)
class Kind:
    label: str
    who: str  # "managers", "admins" or "bare": which browsers send it
    call: Callable[[Browser], Call]
    target: float | None
    # the other browsers meanwhile load their lists: an administrator among managers
    among_managers: bool = False


def kinds(work: Workspace, word: str, rng: random.Random) -> list[Kind]:
    every = [ref for refs in work.cases.values() for ref in refs]

    def case_page(b: Browser) -> Call:
        return Call(f"/cases/{rng.choice(work.cases[str(b.data['manager'])])}")

    def accept(b: Browser) -> Call:
        reference, version = work.assigned[str(b.data["manager"])].pop()
        return Call(f"/cases/{reference}/accept", "POST", {"version": str(version)}, 303)

    q = quote(word)
    return [
        Kind(
            "bare page (one SELECT, one template)",
            "bare",
            lambda b: Call(f"/page/{rng.choice(every)}"),
            None,
        ),
        Kind(
            "my cases  GET /cases?view=mine",
            "managers",
            my_cases,
            PAGE_P95,
        ),
        Kind(
            f"search    GET /cases?view=mine&q={word}",
            "managers",
            lambda b: Call(f"/cases?view=mine&q={q}"),
            PAGE_P95,
        ),
        Kind(
            f"admin     GET /cases?view=all&q={word}",
            "admins",
            lambda b: Call(f"/cases?view=all&q={q}"),
            PAGE_P95,
            among_managers=True,
        ),
        Kind("case page GET /cases/{ref}", "managers", case_page, PAGE_P95),
        Kind("accept    POST /cases/{ref}/accept", "managers", accept, ACTION_P95),
    ]


async def _turn(
    kind: Kind,
    browsers: dict[str, list[Browser]],
    processes: dict[str, psutil.Process],
    args: argparse.Namespace,
    into: Timings,
    seed: int,
) -> None:
    """One kind's turn: each of its browsers sends its share of requests."""
    requests = max(1, args.requests // args.rounds)
    senders = browsers[kind.who]
    if not kind.among_managers:
        server = processes["bare" if kind.who == "bare" else "desk"]
        before = _cpu(server)
        await run_phase(
            senders, kind.call, requests=requests, pause=args.pause, into=into, seed=seed
        )
        into.cpu += _cpu(server) - before
        return
    # A few administrators, each sending more so that their figures rest on as many
    # requests as the managers' do (up to four times theirs), while the other browsers
    # go on with their own lists.
    own = min(requests * 4, requests * args.clients // len(senders))
    others = browsers["managers"][: args.clients - len(senders)]
    stop = asyncio.Event()
    lists = run_phase(
        others, my_cases, requests=10**9, pause=args.pause, into=Timings(), seed=seed, stop=stop
    )

    async def searches() -> None:
        await run_phase(senders, kind.call, requests=own, pause=args.pause, into=into, seed=seed)
        stop.set()

    await asyncio.gather(lists, searches())


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


async def measure(
    work: Workspace, urls: dict[str, str], pids: dict[str, int], args: argparse.Namespace
) -> dict[str, Timings]:
    rng = random.Random(5)
    chosen = sorted(work.managers)[: args.clients]
    browsers = {
        "managers": [Browser.open(urls["desk"], work.managers[m]) for m in chosen],
        "admins": [Browser.open(urls["desk"], ADMIN) for _ in range(args.admins)],
        "bare": [Browser.open(urls["bare"], "") for _ in range(args.clients)],
    }
    processes = {name: psutil.Process(pid) for name, pid in pids.items()}
    for manager, browser in zip(chosen, browsers["managers"], strict=True):
        browser.data["manager"] = manager
    try:
        for browser in browsers["managers"] + browsers["admins"]:
            await browser.sign_in(PASSWORD)
        every = kinds(work, args.word, rng)
        timings = {kind.label: Timings(target=kind.target) for kind in every}
        for kind in every:  # warm up: templates compiled, connections open
            await run_phase(browsers[kind.who], kind.call, requests=1, pause=0, into=Timings())
        for n in range(args.rounds):
            for kind in every:
                await _turn(kind, browsers, processes, args, timings[kind.label], n)
        return timings
    finally:
        for group in browsers.values():
            for browser in group:
                await browser.close()


def report(timings: dict[str, Timings], args: argparse.Namespace, setup: str) -> None:
    bare = timings[next(iter(timings))]
    pause = f"a pause of {args.pause:g} s on average" if args.pause else "no pause"
    print(
        f"desk workspace: {setup}; {args.clients} signed-in browsers at once, each request "
        f"after {pause}; {args.rounds} rounds; the administrator's search by {args.admins} "
        f"of them while the others load their lists"
    )
    print(
        f"  {'':46} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>6} {'CPU ms':>6} {'n':>4}"
        "  x bare p50, p95"
    )
    for label, t in timings.items():
        p50, p95 = t.percentile(0.5), t.percentile(0.95)
        ratios = f"{p50 / bare.percentile(0.5):6.1f} {p95 / bare.percentile(0.95):5.1f}"
        cpu = f"{1000 * t.cpu / len(t.seconds):6.1f}" if t.cpu else f"{'-':>6}"
        target = ""
        if t.target is not None:
            verdict = "ok" if p95 < t.target else "MISSED"
            target = f"  (target p95 < {t.target:.0f} ms) {verdict}"
        wrong = f"  ({t.unexpected} unexpected answers)" if t.unexpected else ""
        print(
            f"  {label:46} {p50:7.1f} {p95:7.1f} {len(t.seconds) / t.wall:6.0f} {cpu} "
            f"{len(t.seconds):4}  {ratios}{target}{wrong}"
        )
    print(
        "  (CPU ms: the serving process's CPU per request; the machine's two cores are "
        "shared with the load generator and PostgreSQL)"
    )


def run(db_url: str, folder: Path, work: Workspace, args: argparse.Namespace) -> dict[str, Timings]:
    """The desk as deployed and the bare page beside it, measured in turns."""
    port, bare_port = free_port(), free_port()
    env = {
        "WELCOMEDESK_DATABASE_URL": db_url,
        "WELCOMEDESK_BROKER_URL": f"sqla+sqlite:///{folder}/broker.sqlite",
        "WELCOMEDESK_SECRET_KEY": SECRET,
        "WELCOMEDESK_PORT": str(port),
        "WELCOMEDESK_LOG_LEVEL": "WARNING",
        "BARE_DATABASE_URL": db_url,
    }
    uvicorn = [sys.executable, "-m", "uvicorn", "bench.bare_page:create_app", "--factory"]
    bare = [*uvicorn, "--port", str(bare_port), "--log-level", "warning", "--no-access-log"]
    with processes(env, folder, [*CLI, "serve"], bare) as (desk, bare_process):
        wait_for_port(port, 60)
        wait_for_port(bare_port, 60)
        urls = {"desk": f"http://127.0.0.1:{port}", "bare": f"http://127.0.0.1:{bare_port}"}
        pids = {"desk": desk.pid, "bare": bare_process.pid}
        return asyncio.run(measure(work, urls, pids, args))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--managers", type=int, default=40)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--admins", type=int, default=1, help="of the clients, searching all")
    parser.add_argument("--requests", type=int, default=30, help="per browser and kind")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=0.5, help="mean seconds between requests")
    parser.add_argument(
        "--word", default="Bewerbung", help="what the searches look for (about 3 %% of cases)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wd-bench-") as tmp, postgres_server() as admin:
        folder = Path(tmp)
        with database(admin, prefix="wd_bench") as db_url:
            start = time.perf_counter()
            work = fill(
                db_url, folder, cases=args.cases, managers=args.managers, fresh=args.requests + 1
            )
            counts = work.counts
            setup = (
                f"{counts['cases']:,} cases ({counts['history']:,} history entries, "
                f"{counts['deliveries']:,} mails, {counts['messages']:,} thread messages), "
                f"{args.managers} managers, made in {time.perf_counter() - start:.0f} s "
                f"(the lists' indexes {work.migration:.0f} s of it); "
                f"{cases_with(db_url, args.word):,} cases with {args.word!r}"
            )
            timings = run(db_url, folder, work, args)
    report(timings, args, setup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
