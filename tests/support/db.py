"""A migrated database with the demo directory in it, for tests of use cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.migrate import upgrade
from shared.directory import DEMO_DIRECTORY, load_directory
from shared.directory.store import import_directory
from shared.region import load_region


@contextmanager
def migrated(url: str) -> Iterator[sessionmaker[Session]]:
    """Migrates the database at `url`, loads the demo directory, yields a session factory."""
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    region = load_region()
    with session_scope(sessions) as session:
        import_directory(session, load_directory(DEMO_DIRECTORY, districts=region.districts))
    try:
        yield sessions
    finally:
        engine.dispose()


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'welcomedesk.sqlite'}"


def engine_of(sessions: sessionmaker[Session]) -> Engine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine
