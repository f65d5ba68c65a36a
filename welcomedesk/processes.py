"""Starting the services: `serve`, `worker`, `beat`, and `run` (everything, embedded)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from typing import Any

import uvicorn
from sqlalchemy import select

from services.intake.inbound.worker import create_worker as mail_worker
from services.notifications.worker import create_worker as notifications_worker
from services.routing.worker import create_worker as routing_worker
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.migrate import upgrade
from shared.db.models import SiteRow
from shared.directory import DEMO_DIRECTORY, load_directory
from shared.directory.store import import_directory
from shared.logs import configure_logging
from shared.messaging.broker import connect_early
from shared.messaging.relay import run_relay
from shared.messaging.worker import run_worker
from shared.region import load_region
from shared.settings import VAR, Settings, get_settings


def serve(settings: Settings, *, workers: int = 1) -> None:
    uvicorn.run(
        "services.intake.app:create_app",
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
    if queue == "routing":
        app, _ = routing_worker(settings)
    elif queue == "notifications":
        app, _ = notifications_worker(settings)
    elif queue == "mail":
        app, _ = mail_worker(settings)
    else:
        raise SystemExit(f"unknown queue {queue!r} (routing, notifications or mail)")
    run_worker(app, queues=[queue], concurrency=concurrency, pool=pool)


def beat(settings: Settings) -> None:
    app, _ = routing_worker(settings)
    schedule = VAR / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    app.Beat(schedule=str(schedule), loglevel="INFO").run()


def relay(settings: Settings) -> None:
    """Publishes committed outbox events to the broker."""
    app, runtime = routing_worker(settings)
    connect_early(app)
    run_relay(runtime.sessions, runtime.publish, poll=settings.relay_poll)


def migrate(settings: Settings) -> None:
    upgrade(settings.database_url)


def ensure_demo_directory(settings: Settings) -> bool:
    """Loads the demo directory into an empty database; returns whether it did."""
    engine = make_engine(settings.database_url)
    try:
        with session_scope(session_factory(engine)) as session:
            if session.scalar(select(SiteRow.code).limit(1)) is not None:
                return False
            region = load_region()
            import_directory(session, load_directory(DEMO_DIRECTORY, districts=region.districts))
            return True
    finally:
        engine.dispose()


def _local_secret() -> str:
    """The embedded run's secret, kept in var/ so that it survives restarts."""
    path = VAR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def run_all() -> int:
    """Everything on this machine, on the embedded default unless settings say otherwise."""
    os.environ.setdefault("WELCOMEDESK_SECRET_KEY", _local_secret())
    settings = get_settings()
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    migrate(settings)
    if ensure_demo_directory(settings):
        print("loaded the demo directory (shared/data/demo_directory.yaml)", flush=True)
    me = [sys.executable, "-m", "welcomedesk"]
    pool = ["--pool", "solo"] if settings.embedded else []
    commands = [
        [*me, "serve"],
        [*me, "worker", "routing", *pool],
        [*me, "worker", "notifications", *pool],
        [*me, "relay"],
        [*me, "beat"],
    ]
    if settings.imap_urls or settings.inbound_token:
        # Polls the mailboxes and retries received mail that failed (beat schedules it).
        commands.append([*me, "worker", "mail", *pool])
    children = [subprocess.Popen(cmd) for cmd in commands]
    where = settings.smtp_url or f"{settings.outbox_dir}/"
    print(
        f"welcomedesk is running: the form is at http://{settings.host}:{settings.port}/ "
        f"and mail goes to {where}; Ctrl-C stops it.",
        flush=True,
    )
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return 1  # one process ended by itself: stop the others
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
