"""The mail worker: polls the configured mailboxes and retries failed mail, on queue `mail`."""

from __future__ import annotations

import imaplib
import os
import socket
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import structlog
from celery import Celery
from imap_tools.errors import ImapToolsError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound import store, tasks
from services.intake.inbound.imap import ImapMailbox, MailboxConfig
from services.intake.inbound.poll import poll_mailbox, report
from services.intake.inbound.service import retry_mail
from services.intake.mail.reading import MailContext
from shared.db.engine import make_engine, session_factory, session_scope
from shared.messaging.broker import make_celery
from shared.settings import Settings, SettingsError

log = structlog.get_logger(__name__)
# What a mailbox that cannot be reached just now raises; the next round tries again.
UNREACHABLE = (OSError, imaplib.IMAP4.error, ImapToolsError)


def mailbox_configs(settings: Settings) -> list[MailboxConfig]:
    configs = []
    for number, url in enumerate(settings.imap_urls, start=1):
        try:
            configs.append(MailboxConfig.parse(url))
        except ValueError as exc:  # the message names the host, never the password
            raise SettingsError(
                f"settings: WELCOMEDESK_IMAP_URLS, mailbox {number}: {exc}"
            ) from exc
    return configs


@dataclass
class MailRuntime:
    """Built lazily in each worker process (after the fork), then reused by every task."""

    settings: Settings
    mailboxes: list[MailboxConfig]

    @cached_property
    def db(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.db)

    @cached_property
    def context(self) -> MailContext:
        return MailContext.from_settings(self.settings)

    def poll_all(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for number, config in enumerate(self.mailboxes, start=1):
            counts += self.poll_one(number, config)
        counts += self.retry_failed({config.source for config in self.mailboxes})
        return dict(counts)

    def poll_one(self, number: int, config: MailboxConfig) -> Counter[str]:
        s = self.settings
        mailbox = ImapMailbox(
            config,
            mode=s.imap_mode,
            processed_folder=s.imap_processed_folder,
            failed_folder=s.imap_failed_folder,
            timeout=s.imap_timeout,
        )
        try:
            with mailbox:
                counts = poll_mailbox(
                    self.sessions,
                    mailbox,
                    source=config.source,
                    context=self.context,
                    max_attempts=s.inbound_max_attempts,
                    owner=f"{socket.gethostname()}:{os.getpid()}",
                    lease_seconds=s.imap_lock_seconds,
                )
        except UNREACHABLE as exc:
            log.warning("mailbox_unreachable", mailbox=number, error=type(exc).__name__)
            return Counter(unreachable=1)
        if counts is None:
            log.info("mailbox_busy", mailbox=number)
            return Counter(busy=1)
        log.info("mailbox_polled", mailbox=number, **counts)
        return counts

    def retry_failed(self, polled: set[str]) -> Counter[str]:
        """Another attempt at failed mail that no mailbox round retries (posted raw MIME)."""
        with self.sessions() as session:
            waiting = store.failed_ids(session, exclude_sources=polled)
        counts: Counter[str] = Counter()
        for inbound_id in waiting:
            with session_scope(self.sessions) as session:
                done = retry_mail(
                    session,
                    inbound_id=inbound_id,
                    context=self.context,
                    max_attempts=self.settings.inbound_max_attempts,
                )
            if done is not None:
                report(done)
                counts["retried"] += 1
        return counts


def create_worker(settings: Settings) -> tuple[Celery, MailRuntime]:
    app = make_celery(settings, "welcomedesk-mail")
    runtime = MailRuntime(settings, mailbox_configs(settings))
    tasks.register(app, runtime)
    return app, runtime
