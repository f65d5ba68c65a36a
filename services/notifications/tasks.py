"""Celery adapters of the notifications service, with declared retries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from celery import Celery, Task
from sqlalchemy.exc import OperationalError

from services.notifications import routed, service
from services.notifications.mailer import TRANSIENT_ERRORS
from shared.db.engine import session_scope
from shared.events import NOTIFY_ROUTED, SEND_MAIL
from shared.metrics import MAILS_FAILED, MAILS_SENT

if TYPE_CHECKING:
    from services.notifications.worker import NotificationsRuntime

log = structlog.get_logger(__name__)


def register(app: Celery, runtime: NotificationsRuntime) -> None:
    settings = runtime.settings

    def backoff(task: Task[Any, Any]) -> float:
        return float(settings.mail_retry_backoff * 2**task.request.retries)

    def is_final(task: Task[Any, Any]) -> bool:
        return bool(task.request.retries >= (task.max_retries or 0))

    # Late acks and a guard in the service: a task redelivered after a crash sends
    # nothing twice. A database that is away is waited for; SMTP errors are handled
    # in the task, mail by mail.
    retried: dict[str, Any] = {
        "bind": True,
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": (OperationalError,),
        "retry_backoff": True,
        "max_retries": settings.mail_max_retries,
        "ignore_result": True,
    }

    @app.task(name=NOTIFY_ROUTED, **retried)
    def enquiry_routed(self: Task[Any, Any], enquiry_id: int, correlation_id: str = "") -> int:
        final = is_final(self)
        notified = routed.notify_routed(
            runtime.sessions,
            enquiry_id=enquiry_id,
            mailer=runtime.mailer,
            policy=runtime.policy,
            final=final,
        )
        for delivery_id, kind, outcome in notified.outcomes:
            if outcome in ("failed", "dead"):
                MAILS_FAILED.labels(kind=kind).inc()
                log.warning("mail_failed", delivery_id=delivery_id, kind=kind, final=final)
                continue
            if outcome == "sent":
                MAILS_SENT.labels(kind=kind).inc()
            log.info("mail_delivered", delivery_id=delivery_id, kind=kind, outcome=outcome)
        if notified.failed and not final:
            # Only the mails that failed go again: the others are recorded as sent.
            raise self.retry(countdown=backoff(self))
        return notified.sent

    @app.task(name=SEND_MAIL, **retried)
    def send_mail(self: Task[Any, Any], delivery_id: int, correlation_id: str = "") -> str:
        try:
            with session_scope(runtime.sessions) as session:
                outcome = service.deliver(
                    session, delivery_id=delivery_id, mailer=runtime.mailer, policy=runtime.policy
                )
        except TRANSIENT_ERRORS as exc:
            final = is_final(self)
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
            # Not exc=exc: Celery would log the exception, and SMTP errors name addresses.
            raise self.retry(countdown=backoff(self)) from exc
        if outcome == "sent":
            MAILS_SENT.labels(kind="any").inc()
        log.info("mail_delivered", delivery_id=delivery_id, outcome=outcome)
        return outcome
