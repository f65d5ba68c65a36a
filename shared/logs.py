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
# Libraries that say at INFO what a person running the product need not read: Celery's
# line per task received and done, and beat's line per periodic task sent (the outbox
# sweep every few seconds). They speak at DEBUG level and above it only of problems.
CHATTY = ("celery.app.trace", "celery.worker.strategy", "celery.beat")


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
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
