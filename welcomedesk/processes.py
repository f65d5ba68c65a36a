"""Starting the services: `serve`, `worker`, `beat`, and `run` (everything, embedded)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time

import uvicorn

from services.intake.inbound.worker import create_worker as mail_worker
from services.notifications.worker import create_worker as notifications_worker
from services.routing.worker import create_worker as routing_worker
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.migrate import upgrade
from shared.logs import configure_logging
from shared.messaging.broker import connect_early
from shared.messaging.relay import run_relay
from shared.messaging.worker import run_worker
from shared.settings import VAR, Settings, get_settings
from welcomedesk.demo import DemoAccount, load_demo_directory, make_demo_accounts, write_accounts


def serve(settings: Settings, *, workers: int = 1) -> None:
    uvicorn.run(
        "welcomedesk.web:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        access_log=False,
    )


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


DEMO_ACCOUNTS = VAR / "demo-accounts.txt"


def ensure_demo(settings: Settings) -> tuple[bool, list[DemoAccount]]:
    """On the embedded default only: the demo directory into an empty database, and the
    demo accounts once. Returns whether the directory was loaded, and the new accounts."""
    engine = make_engine(settings.database_url)
    try:
        with session_scope(session_factory(engine)) as session:
            loaded = load_demo_directory(session)
            session.flush()
            accounts = make_demo_accounts(session) if settings.embedded else []
        return loaded, accounts
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
    loaded, accounts = ensure_demo(settings)
    if loaded:
        print("loaded the demo directory (shared/data/demo_directory.yaml)", flush=True)
    desk = f"{settings.base_url.rstrip('/')}/staff/sign-in"
    if accounts:
        write_accounts(DEMO_ACCOUNTS, accounts, desk)
        print(f"made demo accounts for the desk; their passwords are in {DEMO_ACCOUNTS}:")
        for account in accounts:
            print(f"  {account.email}  {account.password}  ({account.role}: {account.name})")
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
        f"welcomedesk is running: the form is at http://{settings.host}:{settings.port}/, "
        f"the managers' desk at {desk} and mail goes to {where}; Ctrl-C stops it.",
        flush=True,
    )
    if DEMO_ACCOUNTS.exists():
        print(f"sign in to the desk with an account from {DEMO_ACCOUNTS}", flush=True)
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
