"""`welcomedesk run`: every process on this machine, for a person at a terminal.

It loads the demo directory into an empty database, starts each process with its own
metrics port, and stops them all on Ctrl-C, SIGTERM or SIGHUP. It takes the terminal's
foreground for itself, as a shell does for a job: Ctrl-C then reaches this process alone
(not `make` above it, which would end with status 130, nor the children, which it stops
in order with SIGTERM), and everything exits with status 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from shared.db.engine import make_engine, session_factory, session_scope
from shared.logs import configure_logging
from shared.messaging.broker import connect_early, make_celery
from shared.settings import VAR, Settings, get_intake_settings
from welcomedesk.demo import DemoAccount, load_demo_directory, make_demo_accounts, write_accounts
from welcomedesk.processes import migrate

# Metrics ports of the processes, from WELCOMEDESK_METRICS_PORT (9101 unless given) on;
# the intake serves its metrics at /metrics on its own port.
METRICS_BASE = 9101
METRICS_OFFSET = {"routing": 0, "notifications": 1, "relay": 2, "mail": 3}


DEMO_ACCOUNTS = VAR / "demo-accounts.txt"


def ensure_demo(settings: Settings) -> tuple[bool, list[DemoAccount]]:
    """The demo directory into an empty database; on the embedded default, the demo
    accounts once. Returns whether the directory was loaded, and the new accounts."""
    engine = make_engine(settings.database_url)
    try:
        with session_scope(session_factory(engine)) as session:
            loaded = load_demo_directory(session)
            session.flush()
            accounts = make_demo_accounts(session) if settings.embedded else []
        return loaded, accounts
    finally:
        engine.dispose()


def _commands(settings: Settings) -> dict[str, list[str]]:
    me = [sys.executable, "-m", "welcomedesk"]
    pool = ["--pool", "solo"] if settings.embedded else []
    commands = {
        "intake": [*me, "serve"],
        "routing": [*me, "worker", "routing", *pool],
        "notifications": [*me, "worker", "notifications", *pool],
        "relay": [*me, "relay"],
        "beat": [*me, "beat"],
    }
    if settings.imap_urls or settings.inbound_token:
        # Polls the mailboxes and retries received mail that failed (beat schedules it).
        commands["mail"] = [*me, "worker", "mail", *pool]
    return commands


def metrics_ports(settings: Settings, names: list[str]) -> dict[str, int]:
    base = settings.metrics_port or METRICS_BASE
    return {name: base + METRICS_OFFSET[name] for name in names if name in METRICS_OFFSET}


@contextmanager
def _foreground() -> Iterator[None]:
    """This process's own group in the terminal's foreground while the block runs."""
    if not os.isatty(0):
        yield
        return
    before = os.tcgetpgrp(0)
    os.setpgid(0, 0)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may not take it
    os.tcsetpgrp(0, os.getpgrp())
    try:
        yield
    finally:
        os.tcsetpgrp(0, before)


class _StopRequestedError(Exception):
    """SIGTERM or SIGHUP: stop as for Ctrl-C."""


def _stop_on(signum: int, _frame: object) -> None:
    raise _StopRequestedError(signum)


def run_all() -> int:
    """Everything on this machine, on the embedded default unless settings say otherwise."""
    settings = get_intake_settings()  # what the intake needs, checked before anything starts
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
    if settings.embedded:
        # The embedded broker's tables, made here once: otherwise four processes starting
        # at the same moment each create them in one SQLite file.
        connect_early(make_celery(settings, "welcomedesk-run"))
    commands = _commands(settings)
    ports = metrics_ports(settings, list(commands))
    # A service manager (systemd, `docker stop`) ends this process with SIGTERM, a
    # closed terminal with SIGHUP: each stops the children, which live in groups of
    # their own and would otherwise be left running.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, _stop_on)
    with _foreground():
        children = [
            subprocess.Popen(
                command,
                env={**os.environ, "WELCOMEDESK_METRICS_PORT": str(ports[name])}
                if name in ports
                else None,
                process_group=0,  # Ctrl-C is for this process; it stops the children
            )
            for name, command in commands.items()
        ]
        where = settings.smtp_url or f"{settings.outbox_dir}/"
        metrics = ", ".join(f"{name} :{port}" for name, port in ports.items())
        print(
            f"welcomedesk is running: the form is at {settings.base_url}/, the managers' desk "
            f"at {desk}, and mail goes to {where} (metrics: intake /metrics, {metrics}); "
            "Ctrl-C stops it.",
            flush=True,
        )
        if DEMO_ACCOUNTS.exists():
            print(f"sign in to the desk with an account from {DEMO_ACCOUNTS}", flush=True)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            return 1  # one process ended by itself: stop the others
        except (KeyboardInterrupt, _StopRequestedError):
            return 0
        finally:
            _stop(children)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
