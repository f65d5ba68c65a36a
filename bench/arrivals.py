"""An SMTP server in a process of its own that only notes when each case's manager mail
arrives: the benchmark's clock at the far end, kept off the benchmark's own CPU."""

from __future__ import annotations

import multiprocessing
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from aiosmtpd.controller import Controller

# Our Message-IDs name the reference and the kind: <WC-2026-000123.manager.x@domain>.
MANAGER_MAIL = re.compile(rb"^Message-ID: <(WC-\d{4}-\d{6})\.manager\.", re.IGNORECASE | re.M)


class _Handler:
    def __init__(self, out: Connection) -> None:
        self.out = out

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        found = MANAGER_MAIL.search(envelope.content)
        self.out.send((found.group(1).decode() if found else None, time.time()))
        return "250 OK"


def _serve(port: int, out: Connection, stop: Any) -> None:
    controller = Controller(_Handler(out), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


@dataclass
class Arrivals:
    url: str
    _inbox: Connection
    mails: int = 0

    def collect(self, into: dict[str, float]) -> None:
        """Moves what arrived so far into `into` (reference -> wall-clock time)."""
        while self._inbox.poll():
            reference, at = self._inbox.recv()
            self.mails += 1
            if reference is not None:
                into.setdefault(reference, at)


@contextmanager
def arrivals_sink(port: int) -> Iterator[Arrivals]:
    context = multiprocessing.get_context("spawn")
    inbox, out = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_serve, args=(port, out, stop), daemon=True)
    process.start()
    try:
        yield Arrivals(f"smtp://127.0.0.1:{port}", inbox)
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()
