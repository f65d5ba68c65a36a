"""Signed-in browsers for the desk's benchmark: each its own session cookie, signing in
through the real form, then asking for pages and posting forms while the clock runs.
Part of `python -m bench.workspace`."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

KEEP_ALIVE = 3.0  # seconds; uvicorn's default keep-alive is 5
_FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Call:
    """One request: method, path, form fields (a POST) and the answer expected."""

    path: str
    method: str = "GET"
    form: dict[str, str] | None = None
    expect: int = 200


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    unexpected: int = 0
    wall: float = 0.0  # the phases' own time, for requests per second
    target: float | None = None  # p95, milliseconds
    cpu: float = 0.0  # seconds the serving process spent on them

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


@dataclass
class Browser:
    """One person's browser: its cookie jar holds the session."""

    base_url: str
    email: str
    http: aiohttp.ClientSession
    csrf: str = ""
    data: dict[str, object] = field(default_factory=dict)

    @classmethod
    def open(cls, base_url: str, email: str) -> Browser:
        # unsafe: keep cookies for an IP address (127.0.0.1), as a browser does
        jar = aiohttp.CookieJar(unsafe=True)
        # An idle connection is dropped before uvicorn drops it (after 5 s): a request
        # sent on one the server is closing that moment would fail with a reset.
        connector = aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE)
        http = aiohttp.ClientSession(
            base_url=base_url,
            cookie_jar=jar,
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=60),
        )
        return cls(base_url, email, http)

    async def sign_in(self, password: str) -> None:
        async with self.http.get("/staff/sign-in") as page:
            found = _FORM_TOKEN.search(await page.text())
        if found is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        form = {"csrf_token": found.group(1), "email": self.email, "password": password}
        async with self.http.post("/staff/sign-in", data=form, allow_redirects=False) as answer:
            if answer.status != 303:
                raise RuntimeError(f"{self.email} could not sign in: {answer.status}")
        async with self.http.get("/api/v1/me") as me:
            self.csrf = (await me.json())["csrf_token"]

    async def send(self, call: Call) -> bool:
        form = {"csrf_token": self.csrf, **call.form} if call.form is not None else None
        async with self.http.request(
            call.method, call.path, data=form, allow_redirects=False
        ) as answer:
            await answer.read()
            return answer.status == call.expect

    async def close(self) -> None:
        await self.http.close()


async def run_phase(
    browsers: list[Browser],
    next_call: Callable[[Browser], Call],
    *,
    requests: int,
    pause: float,
    into: Timings,
    seed: int = 0,
    stop: asyncio.Event | None = None,
) -> None:
    """Each browser sends `requests` requests one after the other (or until `stop` is
    set), waiting a random pause (exponential, mean `pause` seconds) before each, as
    people do; all browsers at once."""

    async def one(browser: Browser, rng: random.Random) -> None:
        for _ in range(requests):
            if pause:
                await asyncio.sleep(rng.expovariate(1 / pause))
            if stop is not None and stop.is_set():
                return
            call = next_call(browser)
            start = time.perf_counter()
            ok = await browser.send(call)
            into.seconds.append(time.perf_counter() - start)
            into.unexpected += not ok

    begin = time.perf_counter()
    rngs = [random.Random(seed * 1_000 + i) for i in range(len(browsers))]
    await asyncio.gather(*(one(b, r) for b, r in zip(browsers, rngs, strict=True)))
    into.wall += time.perf_counter() - begin
