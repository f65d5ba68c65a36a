"""An SMTP server in a process of its own that only notes when each case's mail of one kind
(the manager mail, a reply) arrives: the benchmark's clock at the far end, kept off the
benchmark's own CPU."""

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


def _message_id(kind: str) -> re.Pattern[bytes]:
    """Our Message-IDs name the reference and the kind: <WC-2026-000123.manager.x@domain>."""
    return re.compile(
        rb"^Message-ID: <(WC-\d{4}-\d{6})\." + re.escape(kind.encode()) + rb"\.", re.I | re.M
    )


class _Handler:
    def __init__(self, out: Connection, kind: str) -> None:
        self.out = out
        self.pattern = _message_id(kind)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        found = self.pattern.search(envelope.content)
        self.out.send((found.group(1).decode() if found else None, time.time()))
        return "250 OK"


def _serve(port: int, out: Connection, stop: Any, kind: str) -> None:
    controller = Controller(_Handler(out, kind), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


@dataclass
class Arrivals:
    """What the SMTP server noted, read off its pipe as it comes (a pipe left to fill up
    would stall the server, and with it the mails being measured)."""

    url: str
    pid: int
    arrived: dict[str, float] = field(default_factory=dict)  # reference -> arrival
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
                    self.arrived.setdefault(reference, at)

    def collect(self, into: dict[str, float]) -> None:
        """Copies what arrived so far into `into` (reference -> wall-clock time)."""
        with self.lock:
            into.update(self.arrived)


@contextmanager
def arrivals_sink(port: int, kind: str = "manager") -> Iterator[Arrivals]:
    context = multiprocessing.get_context("spawn")
    inbox, out = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_serve, args=(port, out, stop, kind), daemon=True)
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
