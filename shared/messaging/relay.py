"""The outbox relay process: publishes committed events to the broker.

It looks for pending events every `poll` seconds: one indexed query on rows not
yet published, over a connection it keeps, outside any transaction; only when
something is pending does it claim and publish rows in a transaction.
PostgreSQL's NOTIFY would wake it sooner, but it serialises the commits of every
transaction that sends it, which costs the intake most of its throughput. An event whose publication
failed (broker down) stays pending and goes out when the broker is back. Several
relays may run: rows are claimed with SKIP LOCKED.
"""

from __future__ import annotations

import threading

import structlog
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import OutboxRow, utcnow
from shared.messaging.outbox import DUE, Publish, publish_pending

log = structlog.get_logger(__name__)


BATCH = 200
_ANY_DUE = select(OutboxRow.id).where(DUE).limit(1)


def run_relay(
    sessions: sessionmaker[Session],
    publish: Publish,
    *,
    poll: float,
    stop: threading.Event | None = None,
) -> None:
    stop = stop or threading.Event()
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    log.info("relay_started", poll=poll)
    while not stop.is_set():
        try:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as probe:
                while not stop.is_set():
                    if probe.execute(_ANY_DUE, {"now": utcnow()}).first() is not None:
                        while publish_pending(sessions, publish, limit=BATCH) == BATCH:
                            pass  # a full batch went out: there may be more
                    stop.wait(poll)
        except Exception as exc:
            log.warning("relay_sweep_failed", error=type(exc).__name__)
            stop.wait(poll)
