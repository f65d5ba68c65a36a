"""Starting the services: `serve`, `worker`, `relay`, `beat` and `migrate`."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any, NoReturn

import structlog
import uvicorn

from services.intake.inbound.worker import create_worker as mail_worker
from services.notifications.worker import create_worker as notifications_worker
from services.routing.worker import create_worker as routing_worker
from shared.db.migrate import upgrade
from shared.messaging.broker import connect_early
from shared.messaging.relay import run_relay
from shared.messaging.worker import run_worker
from shared.metrics import MULTIPROCESS_DIR, serve_metrics
from shared.settings import VAR, Settings

log = structlog.get_logger(__name__)


def serve(settings: Settings, *, workers: int = 1) -> None:
    uvicorn.run(
        "welcomedesk.web:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        **proxy_options(settings),
    )


def proxy_options(settings: Settings) -> dict[str, Any]:
    """Forwarded headers are believed from the trusted proxies alone; without any, from
    nobody (uvicorn would otherwise believe whatever comes from 127.0.0.1)."""
    if not settings.trusted_proxies:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}


def worker(settings: Settings, queue: str, *, concurrency: int, pool: str) -> None:
    if (
        settings.metrics_port is not None
        and pool == "prefork"
        and not os.environ.get(MULTIPROCESS_DIR)
    ):
        _again_with_a_metrics_folder()
    if queue == "routing":
        app, _ = routing_worker(settings)
    elif queue == "notifications":
        app, _ = notifications_worker(settings)
    elif queue == "mail":
        app, _ = mail_worker(settings)
    else:
        raise SystemExit(f"unknown queue {queue!r} (routing, notifications or mail)")
    start_metrics(settings)
    run_worker(app, queues=[queue], concurrency=concurrency, pool=pool)


def _again_with_a_metrics_folder() -> NoReturn:
    """Starts this command again with a folder for the counters of the children it will
    fork: prometheus_client chooses where counters live when it is first imported."""
    folder = tempfile.mkdtemp(prefix="welcomedesk-metrics-")
    argv = [sys.executable, "-m", "welcomedesk", *sys.argv[1:]]
    os.execve(sys.executable, argv, {**os.environ, MULTIPROCESS_DIR: folder})


def start_metrics(settings: Settings) -> bool:
    """The process's counters on its metrics port, if it has one. A port that another
    program holds is said in the log, and the process goes on without its counters:
    mail waiting to go out matters more than the figures about it."""
    if settings.metrics_port is None:
        return False
    try:
        serve_metrics(settings.metrics_port, settings.host)
    except OSError as exc:
        log.error(
            "metrics_not_served",
            port=settings.metrics_port,
            reason=exc.strerror or str(exc),
            fix="set WELCOMEDESK_METRICS_PORT to a free port",
        )
        return False
    return True


def beat(settings: Settings) -> None:
    app, _ = routing_worker(settings)
    schedule = VAR / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    # Celery's own lines about beat speak at DEBUG (shared.logs): one line says it runs.
    log.info("beat_started", schedule=sorted(app.conf.beat_schedule))
    app.Beat(schedule=str(schedule), loglevel="INFO", quiet=True).run()  # no banner


def relay(settings: Settings) -> None:
    """Publishes committed outbox events to the broker."""
    app, runtime = routing_worker(settings)
    connect_early(app)
    start_metrics(settings)
    run_relay(runtime.sessions, runtime.publish, poll=settings.relay_poll)


def migrate(settings: Settings) -> None:
    upgrade(settings.database_url)
