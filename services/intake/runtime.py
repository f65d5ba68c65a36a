"""What the intake process builds once at start-up and hands to its routes."""

from __future__ import annotations

from dataclasses import dataclass

from celery import Celery
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.intake.sites import KnownSites
from shared.db.engine import make_engine, session_factory
from shared.messaging.broker import make_celery
from shared.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    celery: Celery  # for the readiness check; the relay process publishes events
    limiter: MovingWindowRateLimiter
    rate: RateLimitItem
    sites: KnownSites

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        # No ping per transaction: a connection the database dropped fails one request
        # (the enquiry's write runs again at once; other routes answer 503), and the
        # pool is renewed.
        engine = make_engine(
            settings.database_url,
            pre_ping=False,
            pool_size=settings.intake_threads,
            max_overflow=4,
        )
        celery = make_celery(settings, "welcomedesk-intake")
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            celery=celery,
            limiter=MovingWindowRateLimiter(storage_from_string(_asynchronous(settings))),
            rate=parse(settings.rate_limit),
            sites=KnownSites(engine),
        )

    def warm_up(self, connections: int = 4) -> None:
        """Opens a few database connections before the first request, so that the first
        enquiries after a start do not wait for them; a database that is away is not an
        error here (/readyz reports it)."""
        opened = []
        try:
            for _ in range(connections):
                connection = self.engine.connect()
                opened.append(connection)
                connection.execute(text("SELECT 1"))
        except OperationalError:
            pass
        finally:
            for connection in opened:
                connection.close()

    def close(self) -> None:
        self.engine.dispose()


def _asynchronous(settings: Settings) -> str:
    """The rate limit's storage URL for the asyncio flavour of `limits`."""
    url = settings.rate_limit_storage
    return url if url.startswith("async+") else f"async+{url}"
