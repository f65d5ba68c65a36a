"""Beat asks for the retention sweep daily, on a queue the routing worker serves."""

from __future__ import annotations

from celery.schedules import crontab

from services.routing.worker import create_worker
from shared.events import PRIVACY_RETENTION, QUEUES
from shared.messaging.broker import make_celery
from shared.settings import Settings


def test_beat_sweeps_daily_and_the_routing_worker_runs_it() -> None:
    settings = Settings(secret_key="schedule-secret-0123456789", broker_url="memory://")
    entry = make_celery(settings, "beat").conf.beat_schedule["privacy-retention"]
    assert entry["task"] == PRIVACY_RETENTION and isinstance(entry["schedule"], crontab)
    assert QUEUES[PRIVACY_RETENTION] == "routing"
    worker, _ = create_worker(settings)
    assert PRIVACY_RETENTION in worker.tasks
