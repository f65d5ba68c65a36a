"""The outbox relay process: publishes committed events to the broker.

It looks for pending events every `poll` seconds (an indexed query on rows not
yet published). PostgreSQL's NOTIFY would wake it sooner, but it serialises the
commits of every transaction that sends it, which costs the intake most of its
throughput; a 20 ms poll costs nothing measurable. An event whose publication
failed (broker down) stays pending and goes out when the broker is back. Several
relays may run: rows are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import threading

import structlog
from sqlalchemy.orm import Session, sessionmaker

from shared.messaging.outbox import Publish, publish_pending

log = structlog.get_logger(__name__)


def run_relay(
    sessions: sessionmaker[Session],
    publish: Publish,
    *,
    poll: float,
    stop: threading.Event | None = None,
) -> None:
    stop = stop or threading.Event()
    log.info("relay_started", poll=poll)
    while not stop.is_set():
        try:
            while publish_pending(sessions, publish) > 0:
                pass  # a full batch went out: there may be more
        except Exception as exc:
            log.warning("relay_sweep_failed", error=type(exc).__name__)
        stop.wait(poll)
