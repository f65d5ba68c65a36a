"""The engine made by a factory at start-up, and one session per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, *, pre_ping: bool = True, **options: Any) -> Engine:
    """`pre_ping`: test each connection as it leaves the pool (a round trip per
    transaction). Workers whose tasks retry on a database error can go without: a
    connection the server dropped fails one attempt, which marks the pool stale, and
    the retry gets a fresh connection."""
    # Errors quote no row: a failed INSERT would otherwise carry the enquirer's data into
    # the logs of whoever reports the error.
    options.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    options.setdefault("pool_pre_ping", pre_ping)
    if "poolclass" not in options:
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)
    return create_engine(url, **options)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # Several processes share the file: write-ahead logging lets readers and one
    # writer work at once; foreign keys are off by default in SQLite.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Erased and anonymised data is overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def checkpoint(engine: Engine) -> None:
    """On SQLite, moves the write-ahead log into the database file and empties it, so that
    the pages an erasure replaced are nowhere in the log; elsewhere nothing to do."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back when it raises."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
