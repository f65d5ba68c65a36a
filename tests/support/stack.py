"""A whole system for one test module (its own database, broker and mail sink), and the
probes the fault tests share: mails by reference, deliveries, the broker's backlog."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from shared.db.engine import make_engine
from shared.db.models import DeliveryRow, EnquiryRow, OutboxRow
from shared.events import POLL_MAILBOXES, RELAY_OUTBOX
from tests.support.servers import (
    RedisServer,
    SmtpSink,
    database,
    free_port,
    redis_server,
    running_sink,
)
from tests.support.system import ROOT, System, wait_until

SECRET = "test-secret-key-0123456789abcdef"
DEMO_DIRECTORY = ROOT / "shared" / "data" / "demo_directory.yaml"
ALL_PROCESSES = ("intake", "routing", "notifications", "relay", "beat")
# What the fault tests run with: a fast beat sweep, short retries, a short visibility timeout.
BASE_ENV: Mapping[str, str] = {
    "WELCOMEDESK_SECRET_KEY": SECRET,
    "WELCOMEDESK_LOG_FORMAT": "json",
    "WELCOMEDESK_RELAY_INTERVAL": "0.5",
    "WELCOMEDESK_MAIL_RETRY_BACKOFF": "1",
    "WELCOMEDESK_VISIBILITY_TIMEOUT": "5",
    "WELCOMEDESK_RATE_LIMIT": "1000/minute",
}
PROCESS_ARGS: Mapping[str, tuple[str, ...]] = {
    "intake": ("serve",),
    "routing": ("worker", "routing", "--pool", "solo"),
    "notifications": ("worker", "notifications", "--pool", "solo"),
    "relay": ("relay",),
    "beat": ("beat",),
    "mail": ("worker", "mail", "--pool", "solo"),
}


def start_process(system: System, name: str) -> None:
    """Starts one of the system's processes (again) under its usual name and arguments."""
    system.start(name, *PROCESS_ARGS[name])


@contextmanager
def running_system(
    workdir: Path,
    *,
    database_url: str,
    broker_url: str,
    smtp_url: str,
    env: Mapping[str, str] | None = None,
    processes: Sequence[str] = ALL_PROCESSES,
) -> Iterator[System]:
    """Migrates the database, imports the demo directory, starts the processes."""
    system = System(
        env={
            **BASE_ENV,
            "WELCOMEDESK_DATABASE_URL": database_url,
            "WELCOMEDESK_BROKER_URL": broker_url,
            "WELCOMEDESK_SMTP_URL": smtp_url,
            **(env or {}),
        },
        workdir=workdir,
    )
    for args in (("migrate",), ("directory", "import", str(DEMO_DIRECTORY))):
        done = system.cli(*args)
        assert done.returncode == 0, done.stderr
    try:
        for name in processes:
            start_process(system, name)
        yield system
    finally:
        system.stop_all()


def wait_ready(system: System, *workers: str, timeout: float = 120.0) -> None:
    """Waits until each worker says it is ready (Celery's line once it consumes): a test
    that times a worker's first task must not count its start on a busy machine."""
    for name in workers:

        def ready(name: str = name) -> bool:
            return " ready." in system.log(name)

        wait_until(ready, timeout, f"{name} ready")


@dataclass(frozen=True)
class Received:
    """One SMTP transaction: the envelope's recipients and the message as it arrived."""

    rcpt_tos: tuple[str, ...]
    message: EmailMessage


@dataclass
class RecordingSink(SmtpSink):
    """The SMTP sink, also keeping each envelope: smtplib takes Bcc recipients off the
    message and puts them only into the envelope, so a header check alone would miss them."""

    received: list[Received] = field(default_factory=list)
    # Recipients answered with a temporary failure (450) at RCPT TO while listed here.
    refuse_recipients: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refuse_recipients:
            return "450 4.2.1 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
            self.received.append(Received(tuple(envelope.rcpt_tos), message))
        return "250 OK"

    def with_reference(self, reference: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if reference in str(r.message["Subject"])]


def recording_sink() -> AbstractContextManager[RecordingSink]:
    return running_sink(RecordingSink(free_port()))


@dataclass
class Stack:
    """One module's own system: database, broker, mail sink and the processes."""

    system: System
    smtp: RecordingSink
    redis: RedisServer
    db: Engine


@contextmanager
def build_stack(
    workdir: Path,
    postgres_admin: str,
    *,
    env: Mapping[str, str] | None = None,
    processes: Sequence[str] = ALL_PROCESSES,
) -> Iterator[Stack]:
    with (
        database(postgres_admin) as database_url,
        redis_server() as redis_,
        recording_sink() as smtp,
        running_system(
            workdir,
            database_url=database_url,
            broker_url=redis_.url,
            smtp_url=smtp.url,
            env=env,
            processes=processes,
        ) as system,
    ):
        engine = make_engine(database_url)
        try:
            yield Stack(system, smtp, redis_, engine)
        finally:
            engine.dispose()


def enquiry(email: str, **fields: Any) -> dict[str, Any]:
    """A valid enquiry in English about recognition, from Braunschweig, without referral."""
    body: dict[str, Any] = {
        "name": "Test Person",
        "email": email,
        "postal_code": "38106",
        "subject": "Recognition of my degree",
        "message": "Hello, I am an engineer and live in Braunschweig. How can I get my "
        "university degree recognised in Germany?",
        "consent_processing": True,
        "consent_referral": False,
    }
    body.update(fields)
    return body


def enquiry_count(db: Engine) -> int:
    with Session(db) as session:
        return session.scalar(select(func.count()).select_from(EnquiryRow)) or 0


def enquiry_by_reference(db: Engine, reference: str) -> EnquiryRow | None:
    with Session(db) as session:
        return session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))


def deliveries_of(db: Engine, reference: str) -> list[DeliveryRow]:
    with Session(db) as session:
        return list(
            session.scalars(
                select(DeliveryRow)
                .join(EnquiryRow, EnquiryRow.id == DeliveryRow.enquiry_id)
                .where(EnquiryRow.reference == reference)
                .order_by(DeliveryRow.id)
            )
        )


def pending_outbox(db: Engine) -> list[OutboxRow]:
    with Session(db) as session:
        return list(session.scalars(select(OutboxRow).where(OutboxRow.published_at.is_(None))))


def broker_backlog(broker_url: str) -> list[str]:
    """Names of the product's tasks still waiting in a queue or taken but not acknowledged
    (Celery's Redis transport keeps those in the hash `unacked`); beat's periodic runs
    (the relay's sweep, the mailbox round), which come every second or so, are left out."""
    client = redis.Redis.from_url(broker_url, socket_timeout=5)
    names: list[str] = []
    try:
        bodies: list[str | bytes] = []
        for key in client.scan_iter(count=1000):
            if client.type(key) == b"list":
                bodies.extend(client.lrange(key, 0, -1))
        for value in client.hvals("unacked"):
            bodies.append(json.dumps(json.loads(value)[0]))
        for body in bodies:
            name = str(json.loads(body).get("headers", {}).get("task", "?"))
            if name not in (RELAY_OUTBOX, POLL_MAILBOXES):
                names.append(name)
    finally:
        client.close()
    return names


def wait_until_settled(db: Engine, broker_url: str, timeout: float = 30.0) -> None:
    """Waits until no event waits in the outbox and no product task in the broker: after
    that, nothing can send another mail."""

    def settled() -> bool:
        return not pending_outbox(db) and not broker_backlog(broker_url)

    wait_until(settled, timeout=timeout, what="outbox and broker empty")


def json_lines(text: str) -> list[dict[str, Any]]:
    """The JSON log lines of a process's output (libraries' plain lines are skipped)."""
    lines: list[dict[str, Any]] = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                lines.append(value)
    return lines


def unacked_since(broker_url: str, task_id: str) -> float | None:
    """When a worker took the task and has not acknowledged it yet (Redis transport:
    the hash `unacked` and its index by time), or None when no worker holds it."""
    client = redis.Redis.from_url(broker_url, socket_timeout=5)
    try:
        for tag, value in client.hgetall("unacked").items():
            message = json.loads(value)[0]
            if message.get("headers", {}).get("id") == task_id:
                score = client.zscore("unacked_index", tag)
                return None if score is None else float(score)
    finally:
        client.close()
    return None
