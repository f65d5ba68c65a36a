"""An SMTP server in a process of its own that only notes when each case's manager mail
arrives: the benchmark's clock at the far end, kept off the benchmark's own CPU."""

from __future__ import annotations

import multiprocessing
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    """What the SMTP server noted, read off its pipe as it comes (a pipe left to fill up
    would stall the server, and with it the mails being measured)."""

    url: str
    pid: int
    manager_mails: dict[str, float] = field(default_factory=dict)  # reference -> arrival
    mails: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, inbox: Connection) -> None:
        while True:
            try:
                reference, at = inbox.recv()
            except (EOFError, OSError):
                return
            with self.lock:
                self.mails += 1
                if reference is not None:
                    self.manager_mails.setdefault(reference, at)

    def collect(self, into: dict[str, float]) -> None:
        """Copies what arrived so far into `into` (reference -> wall-clock time)."""
        with self.lock:
            into.update(self.manager_mails)


@contextmanager
def arrivals_sink(port: int) -> Iterator[Arrivals]:
    context = multiprocessing.get_context("spawn")
    inbox, out = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_serve, args=(port, out, stop), daemon=True)
    process.start()
    out.close()  # the server's end: the reader sees EOF when the server is gone
    assert process.pid is not None
    arrivals = Arrivals(f"smtp://127.0.0.1:{port}", process.pid)
    reader = threading.Thread(target=arrivals.read, args=(inbox,), daemon=True)
    reader.start()
    try:
        yield arrivals
    finally:
        stop.set()
        process.join(10)
        if process.is_alive():
            process.kill()
        reader.join(5)
        inbox.close()
