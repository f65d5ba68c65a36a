"""The database and broker of a one-shot command (the process ends with the command)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import make_engine, session_factory
from shared.messaging.broker import make_celery, publisher
from shared.messaging.outbox import Publish
from shared.settings import Settings


def sessions(settings: Settings) -> sessionmaker[Session]:
    return session_factory(make_engine(settings.database_url))


def publish(settings: Settings) -> Publish:
    return publisher(make_celery(settings, "welcomedesk-cli"))
