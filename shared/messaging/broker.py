"""Celery, configured from settings: queues by task name, late acks, the relay's schedule."""

from __future__ import annotations

from typing import Any

from celery import Celery, signals
from celery.schedules import crontab
from kombu import Queue
from kombu.transport import sqlalchemy as sqla_transport

from shared.events import ESCALATE, POLL_MAILBOXES, PRIVACY_RETENTION, QUEUES, RELAY_OUTBOX
from shared.messaging.outbox import Publish
from shared.settings import Settings

# kombu's SQLAlchemy transport polls the database; its default second is too slow for
# mail that should go out at once. The option cannot be passed in
# broker_transport_options (every option there goes to create_engine), so it is set
# on the transport class.
EMBEDDED_POLLING_SECONDS = 0.05


def make_celery(settings: Settings, name: str) -> Celery:
    if settings.embedded:
        sqla_transport.Transport.polling_interval = EMBEDDED_POLLING_SECONDS
    app = Celery(name, broker=settings.broker_url)
    # The embedded transport hands these to create_engine: its errors quote no message.
    transport: dict[str, Any] = {"hide_parameters": True} if settings.embedded else {}
    if settings.broker_url.startswith(("redis://", "rediss://")):
        # An unacknowledged task (its worker killed) is delivered again after this.
        # kombu looks for such tasks every restore interval times throttle (10 x 10 s by
        # default); a few seconds keeps a dead worker's task from waiting minutes.
        transport = {
            "visibility_timeout": settings.visibility_timeout,
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout // 2)),
            "unacked_restore_throttle": 1,
            "socket_timeout": 5,
        }
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="routing",
        task_queues=[Queue(q) for q in sorted(set(QUEUES.values()))],
        task_routes={task: {"queue": queue} for task, queue in QUEUES.items()},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        broker_transport_options=transport,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        beat_schedule=_schedule(settings),
        timezone="UTC",
    )
    return app


@signals.setup_logging.connect
def _keep_our_logging(**_: Any) -> None:
    """Celery configures logging only when nobody answers this signal: every process
    has configured its own (shared.logs), which Celery's workers and beat keep."""


def _schedule(settings: Settings) -> dict[str, Any]:
    schedule: dict[str, Any] = {
        "relay-outbox": {"task": RELAY_OUTBOX, "schedule": settings.relay_interval},
        # Retention, daily at a quiet hour; a sweep missed (beat down) is simply the next
        # one's work, so an old run is dropped rather than piled up.
        "privacy-retention": {
            "task": PRIVACY_RETENTION,
            "schedule": crontab(hour=2, minute=30),
            "options": {"expires": 12 * 3600},
        },
        # The office-hours timers; a sweep not taken before the next is due is dropped.
        "escalate": {
            "task": ESCALATE,
            "schedule": settings.escalation_interval,
            "options": {"expires": max(1.0, settings.escalation_interval)},
        },
    }
    if settings.imap_urls or settings.inbound_token:
        # Polls the mailboxes and retries inbound mail that failed; a poll not taken
        # before the next one is due is dropped rather than piled up.
        schedule["poll-mailboxes"] = {
            "task": POLL_MAILBOXES,
            "schedule": settings.imap_interval,
            "options": {"expires": max(1.0, settings.imap_interval)},
        }
    return schedule


def connect_early(app: Celery) -> bool:
    """Opens the broker connection (and loads its transport) before the first event, so
    that the first enquiries after a start do not wait for it; False if the broker is away
    (the first publication will try again)."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            connection.default_channel  # noqa: B018 - opening it loads the transport's client
    except Exception:
        return False
    return True


def publisher(app: Celery) -> Publish:
    """A function that sends one event by task name, failing fast when the broker is away."""

    def publish(task: str, payload: dict[str, Any]) -> None:
        app.send_task(
            task,
            kwargs=payload,
            queue=QUEUES[task],
            headers={"correlation_id": payload.get("correlation_id", "")},
            retry=False,
        )

    return publish
