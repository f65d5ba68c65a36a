"""The daily retention sweep as a Celery task, run by the routing worker (like the outbox
relay, it belongs to no one service): open sessions, call one function, log counts."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from celery import Celery
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import utcnow
from shared.events import PRIVACY_RETENTION
from shared.privacy.retention import RetentionPolicy, run_retention
from shared.settings import Settings

log = structlog.get_logger(__name__)


def policy_of(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        case_days=settings.retention_days,
        raw_days=settings.raw_mail_retention_days,
        audit_days=settings.audit_retention_days,
    )


def register_retention(
    app: Celery, sessions: Callable[[], sessionmaker[Session]], settings: Settings
) -> None:
    # Idempotent: a sweep run twice, or redelivered, finds nothing left to do.
    @app.task(name=PRIVACY_RETENTION, ignore_result=True, acks_late=True)
    def retention_sweep() -> int:
        report = run_retention(sessions(), policy=policy_of(settings), at=utcnow())
        log.info("retention_swept", **report.summary())
        return len(report.cases)
