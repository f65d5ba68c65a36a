"""Statistics and escalation figures on this machine's PostgreSQL.

    python -m bench.statistics [--cases N] [--open N]

- the statistics of one year over 1,000,000 cases as JSON (the service, and the API
  through the application in-process): budget 500 ms;
- the cases of that year as CSV, as the API streams them: budget 50,000 rows/s;
- the escalation sweep over 100,000 open cases, some of them due: budget 2 s.

Data is written with COPY into a database of its own (wd_bench_stats_*), dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics as stats
import time
import uuid
from collections import Counter
from collections.abc import Callable
from zoneinfo import ZoneInfo

import httpx
import psycopg

from bench.statistics_data import write_facts, write_open_cases
from services.desk.accounts import add_staff
from services.desk.statistics import service
from services.desk.statistics.period import Period
from services.routing.engine import RoutingEngine
from services.routing.escalation import sweep
from services.routing.timers import Limits
from shared import calendar
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.migrate import upgrade
from shared.directory import DEMO_DIRECTORY, load_directory
from shared.directory.store import import_directory, read_directory
from shared.region import load_region
from shared.settings import Settings
from shared.statistics.rebuild import rebuild_counters
from tests.support.servers import postgres_server
from welcomedesk.web import create_app

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
NOW = dt.datetime(2026, 12, 7, 11, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Monday
DUE = dt.datetime(2026, 12, 4, 15, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 4 office hours back
ADMIN, PASSWORD = "bench.admin@example.org", "a long enough bench password"


def _timed(call: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    """Median and best of `runs` calls, in milliseconds."""
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        took.append((time.perf_counter() - start) * 1000)
    return stats.median(took), min(took)


def _verdict(ok: bool) -> str:
    return "within budget" if ok else "OVER BUDGET"


def _through_the_api(settings: Settings) -> tuple[float, float]:
    app = create_app(settings)

    async def main() -> tuple[float, float]:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench"
            ) as client,
        ):
            page = await client.get("/staff/sign-in")
            token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            data = {"csrf_token": token, "email": ADMIN, "password": PASSWORD}
            assert (await client.post("/staff/sign-in", data=data)).status_code == 303
            params = {"from": "2026-01-01", "to": "2026-12-31"}
            took = []
            for _ in range(5):
                start = time.perf_counter()
                answer = await client.get("/api/v1/statistics", params=params)
                assert answer.status_code == 200, answer.text
                took.append((time.perf_counter() - start) * 1000)
            return stats.median(took), min(took)

    return asyncio.run(main())


def statistics_figures(url: str, cases: int) -> None:
    started = time.perf_counter()
    write_facts(url.replace("+psycopg", ""), cases, 2026)
    engine = make_engine(url)
    with engine.begin() as connection:
        counters = rebuild_counters(connection)
    print(
        f"data: {cases:,} case facts of 2026 and {counters:,} monthly counters written "
        f"in {time.perf_counter() - started:.0f} s"
    )
    with engine.connect() as connection:
        found = service.statistics(connection, YEAR, None)
        median, best = _timed(lambda: json.dumps(service.statistics(connection, YEAR, None)))
        print(
            f"statistics JSON, one year, all sites ({found['contacts']:,} contacts, "
            f"{found['persons']:,} persons): median {median:.0f} ms, best {best:.0f} ms "
            f"(budget 500 ms: {_verdict(median < 500)})"
        )
        median, best = _timed(lambda: service.statistics(connection, YEAR, "wolfsburg"))
        print(f"statistics JSON, one year, one site: median {median:.0f} ms, best {best:.0f} ms")
        cut = Period(dt.date(2026, 3, 15), dt.date(2026, 9, 14))  # two part months summed
        median, best = _timed(lambda: service.statistics(connection, cut, None), runs=3)
        print(f"statistics JSON, 15 March to 14 September: median {median:.0f} ms")
        start, rows = time.perf_counter(), 0
        for chunk in service.cases_csv(connection, YEAR, None):
            rows += chunk.count(b"\n")
        seconds = time.perf_counter() - start
        rate = (rows - 1) / seconds
        print(
            f"cases.csv, one year: {rows - 1:,} rows in {seconds:.1f} s, {rate:,.0f} rows/s "
            f"(budget 50,000 rows/s: {_verdict(rate >= 50_000)})"
        )
    settings = Settings(secret_key="bench-secret-0123456789abcdef", database_url=url)
    with session_scope(session_factory(engine)) as session:
        add_staff(session, email=ADMIN, role="admin", manager_id=None, password=PASSWORD)
    median, best = _through_the_api(settings)
    print(
        f"GET /api/v1/statistics, one year, in-process: median {median:.0f} ms, best {best:.0f} ms"
    )
    engine.dispose()


def sweep_figures(url: str, count: int) -> None:
    write_open_cases(url.replace("+psycopg", ""), count, NOW, DUE, due_share=0.001)
    engine = make_engine(url)
    sessions = session_factory(engine)
    with session_scope(sessions) as session:
        directory = read_directory(session)
    # Room for every case, beyond what a directory may say (10,000): four managers hold
    # the 100,000 cases, and a reassignment should find a place as on a real Monday.
    roomy = tuple(m.model_copy(update={"capacity": count}) for m in directory.managers)
    routing = RoutingEngine(directory.model_copy(update={"managers": roomy}), load_region())
    routing.reader.warm_up()  # as a routing worker does before its first task
    calendar.warm_up()
    limits = Limits(8, 4)
    for label in ("first sweep", "second sweep (nothing left)"):
        with session_scope(sessions) as session:
            start = time.perf_counter()
            done = sweep(session, now=NOW, engine=routing, defaults=limits)
            session.flush()
        seconds = time.perf_counter() - start
        kinds = Counter(a.action for a in done)
        print(
            f"escalation sweep over {count:,} open cases, {label}: {seconds:.2f} s, "
            f"{len(done)} actions {dict(kinds)} (budget 2 s: {_verdict(seconds < 2)})"
        )
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    args = parser.parse_args()
    with postgres_server() as admin:
        name = f"wd_bench_stats_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
        try:
            upgrade(url)
            engine = make_engine(url)
            with session_scope(session_factory(engine)) as session:
                import_directory(session, load_directory(DEMO_DIRECTORY))
            engine.dispose()
            statistics_figures(url, args.cases)
            sweep_figures(url, args.open)
        finally:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
