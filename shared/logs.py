"""Logging, configured once per process: JSON off a terminal, readable on one.

Every record of the process, structlog's events and the standard library's alike
(uvicorn, Celery, SQLAlchemy, ...), goes through one chain of processors on the root
logger: one format, and one scrubber that runs after exceptions are formatted, so
that tracebacks and exception messages are scrubbed too. Log lines carry events
and ids, never personal data: the scrubber drops the values of personal fields,
masks e-mail addresses, and cuts the parameters and details that database errors
quote.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

from shared.events import ESCALATE, POLL_MAILBOXES, PRIVACY_RETENTION, RELAY_OUTBOX

PERSONAL_FIELDS = frozenset(
    {"email", "name", "phone", "message", "subject", "company", "recipient", "to", "address"}
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# What database errors quote of a row: SQLAlchemy's bound parameters (engines hide
# them, but not every engine is ours) and PostgreSQL's DETAIL line ("Key (email)=(...)").
_QUOTED_VALUES = (
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: redacted]"),
    (re.compile(r"DETAIL: [^\n]*"), "DETAIL: [redacted]"),
)
# What Celery says at INFO about the periodic tasks (beat's line per task sent, a
# worker's lines per run received and done: three lines every few seconds for the
# outbox sweep, every minute for the timers) is said at DEBUG; its lines about the
# tasks of enquiries stay. Every task beat schedules is here (a test holds it).
PERIODIC = (RELAY_OUTBOX, POLL_MAILBOXES, ESCALATE, PRIVACY_RETENTION)
CHATTY = ("celery.app.trace", "celery.worker.strategy", "celery.beat")


class PeriodicChatter(logging.Filter):
    """Lowers Celery's INFO records about periodic tasks (and beat's) to DEBUG."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and (
            record.name == "celery.beat" or any(t in record.getMessage() for t in PERIODIC)
        ):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return record.levelno >= self.level


def _scrub(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    for pattern, replacement in _QUOTED_VALUES:
        text = pattern.sub(replacement, text)
    return text


def scrub_personal_data(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key in PERSONAL_FIELDS:
            event[key] = "[redacted]"
        elif isinstance(event[key], str):
            event[key] = _scrub(event[key])
    return event


def _drop_colour_copies(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # uvicorn passes each message again with terminal colour codes, as an extra.
    event.pop("color_message", None)
    return event


def configure_logging(*, fmt: str = "auto", level: str = "INFO") -> None:
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_lines
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    # What every record gets, before it is formatted: context, level, logger, time (on a
    # terminal the local time of day, for a person; else ISO 8601 in UTC).
    before: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _drop_colour_copies,
        structlog.processors.TimeStamper(fmt="iso", utc=True)
        if json_lines
        else structlog.processors.TimeStamper(fmt="%H:%M:%S", utc=False),
    ]
    numeric = logging.getLevelName(level.upper())
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *before,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        wrapper_class=structlog.stdlib.BoundLogger,
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=before,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # the traceback as text, then scrubbed
            scrub_personal_data,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric)
    logging.captureWarnings(True)  # warnings too, in the same format
    # SQLAlchemy logs statements at INFO and result rows at DEBUG: rows are personal data.
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    for name in CHATTY:
        chatty = logging.getLogger(name)
        chatty.filters = [PeriodicChatter(numeric)]
        chatty.setLevel(min(numeric, logging.INFO))  # INFO records reach the filter
