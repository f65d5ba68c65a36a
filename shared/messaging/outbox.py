"""The transactional outbox: an event is written with the change it reports, and
published after commit, again by a relay on a schedule until the broker takes it.

A producer that is connected to the broker anyway (a worker) may publish its event
itself right after commit (`publish_committed`): the event is written with a
`publish_after` moment, and the relay takes it only if it is still unpublished
then, which happens when the producer died or the broker refused it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

import structlog
from sqlalchemy import Connection, Engine, Table, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import OutboxRow, utcnow
from shared.events import Event
from shared.metrics import EVENTS_RELAYED

log = structlog.get_logger(__name__)

Publish = Callable[[str, dict[str, Any]], None]


_OUTBOX = cast(Table, OutboxRow.__table__)
_INSERT_EVENT = insert(_OUTBOX).returning(_OUTBOX.c.id)  # compiled once, cached
# What the relay may take now: unpublished, and not left to its producer any more.
DUE = (_OUTBOX.c.published_at.is_(None)) & or_(
    _OUTBOX.c.publish_after.is_(None), _OUTBOX.c.publish_after <= bindparam("now")
)
_MARK_PUBLISHED = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("key"), _OUTBOX.c.published_at.is_(None))
    .values(published_at=bindparam("now"))
)
# How long the relay leaves an event to the producer that publishes it itself.
PRODUCER_GRACE = dt.timedelta(seconds=5)


def add_event(session: Session, event: Event, *, by_producer: bool = False) -> int:
    """Adds the event to the caller's transaction and returns its id; never commits.

    `by_producer`: the caller publishes it after commit (`publish_committed`)."""
    return insert_event(session.connection(), event, by_producer=by_producer)


def insert_event(connection: Connection, event: Event, *, by_producer: bool = False) -> int:
    now = utcnow()
    values = {
        "task": event.task,
        "payload": event.payload(),
        "created_at": now,
        "attempts": 0,
        "publish_after": now + PRODUCER_GRACE if by_producer else None,
    }
    return int(connection.execute(_INSERT_EVENT, values).scalar_one())


def publish_committed(engine: Engine, publish: Publish, event_id: int, event: Event) -> bool:
    """Publishes a committed event and marks it published; False when the broker refused
    it (the relay publishes it once its grace is over)."""
    try:
        publish(event.task, event.payload())
    except Exception as exc:
        log.warning("outbox_publish_failed", task=event.task, error=type(exc).__name__)
        return False
    try:
        # One statement on its own: if a crash loses it, the relay publishes the event
        # again, which every task takes in its stride.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(_MARK_PUBLISHED, {"key": event_id, "now": utcnow()})
    except Exception as exc:
        # Published but not marked: the relay publishes it again; every task is idempotent.
        log.warning("outbox_mark_failed", task=event.task, error=type(exc).__name__)
    return True


def publish_pending(
    factory: sessionmaker[Session],
    publish: Publish,
    *,
    limit: int = 200,
    ids: list[int] | None = None,
) -> int:
    """Publishes pending events, oldest first; returns how many went out.

    A broker that is down leaves the rest pending for the next run. An event may
    go out twice (crash between publish and mark): every task is idempotent.
    """
    published: list[int] = []
    with factory.begin() as session:
        query = select(_OUTBOX.c.id, _OUTBOX.c.task, _OUTBOX.c.payload).where(DUE)
        if ids is not None:
            query = query.where(_OUTBOX.c.id.in_(ids))
        query = query.order_by(_OUTBOX.c.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        connection = session.connection()
        for event_id, task, payload in connection.execute(query, {"now": utcnow()}):
            try:
                publish(task, payload)
            except Exception as exc:
                connection.execute(
                    update(_OUTBOX)
                    .where(_OUTBOX.c.id == event_id)
                    .values(attempts=_OUTBOX.c.attempts + 1)
                )
                log.warning("outbox_publish_failed", task=task, error=type(exc).__name__)
                break
            published.append(event_id)
            EVENTS_RELAYED.labels(task=task).inc()
        if published:
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id.in_(published)).values(published_at=utcnow())
            )
    return len(published)
