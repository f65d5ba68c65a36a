"""The notifications worker: consumes mail requests on the queue `notifications`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import structlog
from celery import Celery
from limits import parse
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from services.notifications import i18n, tasks
from services.notifications.compose import Sender
from services.notifications.mailer import Mailer, make_mailer
from services.notifications.service import MailPolicy
from shared.db.engine import make_engine, session_factory
from shared.messaging.broker import make_celery
from shared.messaging.worker import warm_up_where_tasks_run
from shared.settings import Settings

log = structlog.get_logger(__name__)


@dataclass
class NotificationsRuntime:
    """Built lazily in each worker process (after the fork), then reused by every task."""

    settings: Settings

    @cached_property
    def db(self) -> Engine:
        # Tasks retry on a database error, the relay loop goes on: no ping per transaction.
        return make_engine(self.settings.database_url, pre_ping=False)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.db)

    @cached_property
    def mailer(self) -> Mailer:
        s = self.settings
        return make_mailer(s.smtp_url, s.outbox_dir, timeout=s.smtp_timeout)

    @cached_property
    def policy(self) -> MailPolicy:
        s = self.settings
        limit = parse(s.confirmation_limit)
        return MailPolicy(
            sender=Sender(address=s.mail_from, name=s.mail_from_name),
            base_url=s.base_url,
            reply_to=(s.intake_addresses or [s.mail_from])[0],
            confirmations_per_window=limit.amount,
            confirmation_window=dt.timedelta(seconds=limit.get_expiry()),
        )

    def warm_up(self) -> None:
        """Connects to the database and compiles every template before the first task,
        so that no enquirer's mail waits for it."""
        with self.db.connect() as connection:
            connection.execute(text("SELECT 1"))
        for language, template in TEMPLATES:
            i18n.environment(language).get_template(template)


# Every template in the folder, in German (the staff mails' first language), and the
# confirmation's in every language it is written in; read from the folder, so that a
# renamed template cannot break the warm-up.
TEMPLATES = [
    *(("de", path.name) for path in sorted(i18n.TEMPLATES.glob("*.j2"))),
    *(
        (language, f"confirmation{suffix}.j2")
        for language in sorted(i18n.CONFIRMATION_LANGUAGES)
        for suffix in (".txt", ".html", "_subject.txt")
    ),
]


def create_worker(settings: Settings) -> tuple[Celery, NotificationsRuntime]:
    app = make_celery(settings, "welcomedesk-notifications")
    runtime = NotificationsRuntime(settings)
    tasks.register(app, runtime)
    warm_up_where_tasks_run(runtime.warm_up)

    return app, runtime
