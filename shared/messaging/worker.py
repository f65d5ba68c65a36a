"""Plumbing every worker shares: one correlation id per task in the logs, task timings,
and the relay task that publishes pending outbox events."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import structlog
from celery import Celery, signals
from sqlalchemy.orm import Session, sessionmaker

from shared.events import RELAY_OUTBOX
from shared.messaging.outbox import Publish, publish_pending
from shared.metrics import TASK_SECONDS

log = structlog.get_logger(__name__)
_started: dict[str, float] = {}


def _correlation_id(task: Any, kwargs: dict[str, Any] | None) -> str:
    headers = getattr(task.request, "headers", None) or {}
    return str((kwargs or {}).get("correlation_id") or headers.get("correlation_id") or "")


@signals.task_prerun.connect
def _bind(task_id: str, task: Any, kwargs: dict[str, Any] | None = None, **_: Any) -> None:
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(
        correlation_id=_correlation_id(task, kwargs), task=task.name
    )
    _started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _unbind(task_id: str, task: Any, **_: Any) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task=task.name).observe(time.perf_counter() - started)
    structlog.contextvars.clear_contextvars()


def register_relay(
    app: Celery, sessions: Callable[[], sessionmaker[Session]], publish: Callable[[], Publish]
) -> None:
    @app.task(name=RELAY_OUTBOX, ignore_result=True, acks_late=False)
    def relay_outbox() -> int:
        published = publish_pending(sessions(), publish())
        if published:  # events that waited (relay down, broker back): worth a line
            log.info("outbox_swept", published=published)
        return published


def warm_up_where_tasks_run(warm: Callable[[], None]) -> None:
    """Runs `warm` in the process that will run the tasks: each prefork child after the
    fork (connections must not cross it), else the worker itself (solo, threads)."""

    def safely() -> None:
        try:
            warm()
        except Exception as exc:
            log.warning("warm_up_failed", error=type(exc).__name__)

    @signals.worker_process_init.connect(weak=False)
    def _child(**_: Any) -> None:
        safely()

    @signals.worker_init.connect(weak=False)
    def _main(sender: Any, **_: Any) -> None:
        if "prefork" not in str(getattr(sender, "pool_cls", "prefork")).lower():
            safely()


def run_worker(app: Celery, *, queues: list[str], concurrency: int, pool: str = "prefork") -> None:
    app.worker_main(
        [
            "--quiet",  # no banner on stdout: what matters is logged (ready, connected)
            "worker",
            "--queues",
            ",".join(queues),
            "--concurrency",
            str(concurrency),
            "--pool",
            pool,
            "--loglevel",
            "INFO",
            # Unique per process, so that several workers of one queue may run on a host.
            "--hostname",
            f"{'-'.join(queues)}.{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
