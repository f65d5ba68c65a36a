"""The transactional outbox: an event is written with the change it reports, and
published after commit, again by a relay on a schedule until the broker takes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import structlog
from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import OutboxRow, utcnow
from shared.events import Event

log = structlog.get_logger(__name__)

Publish = Callable[[str, dict[str, Any]], None]


_OUTBOX = cast(Table, OutboxRow.__table__)
_INSERT_EVENT = insert(_OUTBOX).returning(_OUTBOX.c.id)  # compiled once, cached


def add_event(session: Session, event: Event) -> int:
    """Adds the event to the caller's transaction and returns its id; never commits."""
    return insert_event(session.connection(), event)


def insert_event(connection: Connection, event: Event) -> int:
    values = {"task": event.task, "payload": event.payload(), "created_at": utcnow(), "attempts": 0}
    return int(connection.execute(_INSERT_EVENT, values).scalar_one())


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
        query = select(_OUTBOX.c.id, _OUTBOX.c.task, _OUTBOX.c.payload).where(
            _OUTBOX.c.published_at.is_(None)
        )
        if ids is not None:
            query = query.where(_OUTBOX.c.id.in_(ids))
        query = query.order_by(_OUTBOX.c.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        connection = session.connection()
        for event_id, task, payload in connection.execute(query):
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
        if published:
            connection.execute(
                update(_OUTBOX).where(_OUTBOX.c.id.in_(published)).values(published_at=utcnow())
            )
    return len(published)
