"""The long-running processes (`serve`, `worker`, `relay`, `beat`, `run`) and `migrate`."""

from __future__ import annotations

import click

from shared.logs import configure_logging
from shared.settings import Settings, get_intake_settings, get_public_settings, get_settings
from welcomedesk import processes
from welcomedesk import run as everything


def _started(settings: Settings) -> Settings:
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    return settings


@click.command(short_help="apply the database migrations")
def migrate() -> int:
    processes.migrate(get_settings())
    return 0


@click.command(short_help="the intake (web form and API) under uvicorn")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True)
def serve(workers: int) -> int:
    processes.serve(_started(get_intake_settings()), workers=workers)
    return 0


@click.command(short_help="a Celery worker for one queue")
@click.argument("queue", type=click.Choice(["routing", "notifications", "mail"]), metavar="QUEUE")
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True)
@click.option(
    "--pool",
    type=click.Choice(["prefork", "solo", "threads"]),
    default="prefork",
    show_default=True,
)
def worker(queue: str, concurrency: int, pool: str) -> int:
    # The notifications worker writes links into mails: it needs the public address.
    settings = get_public_settings() if queue == "notifications" else get_settings()
    processes.worker(_started(settings), queue, concurrency=concurrency, pool=pool)
    return 0


@click.command(short_help="publish committed events to the broker")
def relay() -> int:
    processes.relay(_started(get_settings()))
    return 0


@click.command(short_help="the scheduler (outbox sweep, mailbox rounds)")
def beat() -> int:
    processes.beat(_started(get_settings()))
    return 0


@click.command(short_help="every process on this machine (the embedded default)")
def run() -> int:
    return everything.run_all()
