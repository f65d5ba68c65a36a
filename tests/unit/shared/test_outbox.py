"""The outbox on a real (SQLite) database: the relay publishes what is due, and leaves an
event its producer publishes itself alone until the producer's grace is over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import OutboxRow
from shared.events import EnquiryReceived, EnquiryRouted
from shared.messaging.outbox import add_event, publish_committed, publish_pending
from tests.support.db import migrated, sqlite_url


class Broker:
    """Records what was published; refuses everything while `down` is set."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self.down = False

    def __call__(self, task: str, payload: dict[str, Any]) -> None:
        if self.down:
            raise ConnectionError("broker away")
        self.published.append((task, payload))


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with migrated(sqlite_url(tmp_path)) as factory:
        yield factory


def _engine(sessions: sessionmaker[Session]) -> Engine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def _add(sessions: sessionmaker[Session], *, by_producer: bool) -> tuple[int, EnquiryRouted]:
    event = EnquiryRouted("corr", enquiry_id=7)
    with sessions.begin() as session:
        return add_event(session, event, by_producer=by_producer), event


def _age(sessions: sessionmaker[Session], event_id: int, seconds: float) -> None:
    """Moves the event's producer grace into the past, as if that time had gone by."""
    with sessions.begin() as session:
        row = session.get(OutboxRow, event_id)
        assert row is not None and row.publish_after is not None
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == event_id)
            .values(publish_after=row.publish_after - dt.timedelta(seconds=seconds))
        )


def test_the_relay_publishes_due_events_once(sessions: sessionmaker[Session]) -> None:
    broker = Broker()
    with sessions.begin() as session:
        add_event(session, EnquiryReceived("c1", enquiry_id=1))
        add_event(session, EnquiryReceived("c2", enquiry_id=2))
    assert publish_pending(sessions, broker) == 2
    assert publish_pending(sessions, broker) == 0
    assert [p["enquiry_id"] for _, p in broker.published] == [1, 2]


def test_an_event_its_producer_published_is_never_published_again(
    sessions: sessionmaker[Session],
) -> None:
    broker = Broker()
    event_id, event = _add(sessions, by_producer=True)
    assert publish_committed(_engine(sessions), broker, event_id, event)
    _age(sessions, event_id, 3600)
    assert publish_pending(sessions, broker) == 0
    assert broker.published == [(event.task, event.payload())]


def test_the_relay_takes_over_when_the_producer_could_not_publish(
    sessions: sessionmaker[Session],
) -> None:
    broker = Broker()
    event_id, event = _add(sessions, by_producer=True)
    broker.down = True
    assert not publish_committed(_engine(sessions), broker, event_id, event)
    broker.down = False
    assert publish_pending(sessions, broker) == 0, "taken during the producer's grace"
    _age(sessions, event_id, 3600)
    assert publish_pending(sessions, broker) == 1
    assert broker.published == [(event.task, event.payload())]
