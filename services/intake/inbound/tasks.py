"""Celery adapter of the mail worker: beat's periodic round over the mailboxes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from celery import Celery

from shared.events import POLL_MAILBOXES

if TYPE_CHECKING:
    from services.intake.inbound.worker import MailRuntime


def register(app: Celery, runtime: MailRuntime) -> None:
    # Not acks_late: a round cut short is not redelivered, the next one (beat) starts over,
    # and a mailbox's lease keeps two rounds from handling the same message.
    @app.task(name=POLL_MAILBOXES, ignore_result=True, acks_late=False)
    def poll_mailboxes() -> dict[str, int]:
        return runtime.poll_all()
