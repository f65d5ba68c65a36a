"""Celery adapters of the notifications service, with declared retries."""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING, Any

import structlog
from celery import Celery, Task

from services.notifications import service
from shared.db.engine import session_scope
from shared.events import SEND_MAIL
from shared.metrics import MAILS_FAILED, MAILS_SENT

if TYPE_CHECKING:
    from services.notifications.worker import NotificationsRuntime

log = structlog.get_logger(__name__)

# What a mail server or the network may throw that another attempt can cure.
TRANSIENT = (smtplib.SMTPException, OSError)


def register(app: Celery, runtime: NotificationsRuntime) -> None:
    settings = runtime.settings

    @app.task(
        name=SEND_MAIL,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        max_retries=settings.mail_max_retries,
        ignore_result=True,
    )
    def send_mail(self: Task[Any, Any], delivery_id: int, correlation_id: str = "") -> str:
        try:
            with session_scope(runtime.sessions) as session:
                outcome = service.deliver(
                    session, delivery_id=delivery_id, mailer=runtime.mailer, policy=runtime.policy
                )
        except TRANSIENT as exc:
            final = self.request.retries >= (self.max_retries or 0)
            with session_scope(runtime.sessions) as session:
                service.record_failure(
                    session,
                    delivery_id=delivery_id,
                    error=f"{type(exc).__name__}: {exc}",
                    final=final,
                )
            MAILS_FAILED.labels(kind="any").inc()
            log.warning(
                "mail_failed", delivery_id=delivery_id, final=final, error=type(exc).__name__
            )
            if final:
                return "dead"
            countdown = settings.mail_retry_backoff * 2**self.request.retries
            # Not exc=exc: Celery would log the exception, and SMTP errors name addresses.
            raise self.retry(countdown=countdown) from exc
        if outcome == "sent":
            MAILS_SENT.labels(kind="any").inc()
        log.info("mail_delivered", delivery_id=delivery_id, outcome=outcome)
        return outcome
