"""Celery's INFO lines about the tasks beat schedules are said at DEBUG: `make run` stays
quiet between enquiries, while the lines about an enquiry's tasks stay at INFO."""

from __future__ import annotations

import logging

from shared.events import ROUTE_ENQUIRY
from shared.logs import PERIODIC, PeriodicChatter
from shared.messaging.broker import make_celery
from shared.settings import Settings


def _record(message: str) -> logging.LogRecord:
    return logging.LogRecord("celery.app.trace", logging.INFO, __file__, 1, message, None, None)


def test_every_task_beat_schedules_is_quiet_at_info() -> None:
    settings = Settings(
        secret_key="chatter-secret-0123456789",
        broker_url="memory://",
        imap_urls=["imaps://user:pass@127.0.0.1:993/INBOX"],  # the mailbox rounds too
    )
    scheduled = {
        entry["task"] for entry in make_celery(settings, "beat").conf.beat_schedule.values()
    }
    assert scheduled <= set(PERIODIC)
    quiet = PeriodicChatter(logging.INFO)
    for task in scheduled:
        record = _record(f"Task {task}[0f3c] succeeded in 0.01s: None")
        assert quiet.filter(record) is False and record.levelname == "DEBUG"


def test_an_enquirys_task_is_still_said_at_info() -> None:
    record = _record(f"Task {ROUTE_ENQUIRY}[0f3c] succeeded in 0.02s: None")
    assert PeriodicChatter(logging.INFO).filter(record) is True and record.levelname == "INFO"
