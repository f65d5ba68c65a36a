"""The routing worker: consumes `enquiry.received` on the queue `routing`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import structlog
from celery import Celery
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.routing import tasks
from services.routing.engine import RoutingEngine
from services.routing.timers import Limits
from shared import calendar
from shared.db.engine import make_engine, session_factory
from shared.directory.store import directory_version, read_directory
from shared.messaging.broker import make_celery, publisher
from shared.messaging.outbox import Publish
from shared.messaging.worker import register_relay, warm_up_where_tasks_run
from shared.privacy.tasks import register_retention
from shared.region import Region, load_region
from shared.settings import Settings

log = structlog.get_logger(__name__)


@dataclass
class RoutingRuntime:
    """Built lazily in each worker process (after the fork), then reused by every task."""

    settings: Settings
    celery: Celery
    _engines: dict[str, RoutingEngine] = field(default_factory=dict)

    @cached_property
    def db(self) -> Engine:
        # Tasks retry on a database error, the relay loop goes on: no ping per transaction.
        return make_engine(self.settings.database_url, pre_ping=False)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.db)

    @cached_property
    def publish(self) -> Publish:
        return publisher(self.celery)

    @cached_property
    def limits(self) -> Limits:
        """The escalation timers' defaults; a site's directory entry may set its own."""
        return Limits(self.settings.accept_within_hours, self.settings.triage_within_hours)

    @cached_property
    def region(self) -> Region:
        return load_region()

    def warm_up(self) -> None:
        """Builds the engine and loads the language models before the first task."""
        with self.sessions() as session:
            engine = self.routing_engine(session)
        engine.reader.warm_up()
        calendar.warm_up()

    def routing_engine(self, session: Session) -> RoutingEngine:
        """The engine for the directory as the database has it now (rebuilt on import)."""
        version = directory_version(session)
        if version not in self._engines:
            self._engines = {version: RoutingEngine(read_directory(session), self.region)}
        return self._engines[version]


def create_worker(settings: Settings) -> tuple[Celery, RoutingRuntime]:
    app = make_celery(settings, "welcomedesk-routing")
    runtime = RoutingRuntime(settings, app)
    tasks.register(app, runtime)
    register_relay(app, lambda: runtime.sessions, lambda: runtime.publish)
    register_retention(app, lambda: runtime.sessions, settings)
    warm_up_where_tasks_run(runtime.warm_up)

    return app, runtime
