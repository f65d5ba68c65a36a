"""Prometheus metrics every process counts; the intake also reports the database's totals.

The intake serves them at /metrics; each worker and the relay on a port of its own
(WELCOMEDESK_METRICS_PORT). A prefork worker's tasks run in child processes: their
counters are written to the folder PROMETHEUS_MULTIPROC_DIR names, and the worker
serves the sum of them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from shared.db.models import DeliveryRow, EnquiryRow

ENQUIRIES_RECEIVED = Counter(
    "welcomedesk_enquiries_received_total", "Enquiries accepted by this process", ["channel"]
)
ENQUIRIES_ROUTED = Counter(
    "welcomedesk_enquiries_routed_total", "Routing decisions made by this process", ["outcome"]
)
MAILS_SENT = Counter("welcomedesk_mails_sent_total", "Mails handed to SMTP", ["kind"])
INBOUND_MAILS = Counter(
    "welcomedesk_inbound_mails_total", "Received mails handled by this process", ["outcome"]
)
MAILS_FAILED = Counter("welcomedesk_mails_failed_total", "Failed mail attempts", ["kind"])
EVENTS_RELAYED = Counter(
    "welcomedesk_events_relayed_total", "Outbox events published to the broker", ["task"]
)
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def serve_metrics(port: int, host: str) -> None:
    """Serves this process's counters at http://HOST:PORT/metrics, in a thread; with
    PROMETHEUS_MULTIPROC_DIR set, those of every process that writes there."""
    registry = REGISTRY
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]  # unannotated upstream
    start_http_server(port, addr=host, registry=registry)


TASK_SECONDS = Histogram(
    "welcomedesk_task_seconds",
    "Time a task took",
    ["task"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


class DatabaseTotals(Collector):
    """Cases by status and mails by status, as the database has them: all processes' work."""

    def __init__(self) -> None:
        self.sessions: sessionmaker[Session] | None = None  # set when a process starts

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        cases = GaugeMetricFamily(
            "welcomedesk_cases", "Enquiries by case status", labels=["status"]
        )
        mails = GaugeMetricFamily(
            "welcomedesk_deliveries", "Mails by kind and delivery status", labels=["kind", "status"]
        )
        return cases, mails

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """The names, without asking the database (registration calls this)."""
        yield from self._families()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.sessions is None:
            return
        cases, mails = self._families()
        try:
            yield from self._count(cases, mails)
        except OperationalError:
            return  # the database is away: /readyz says so; the process's own counters stay

    def _count(
        self, cases: GaugeMetricFamily, mails: GaugeMetricFamily
    ) -> Iterator[GaugeMetricFamily]:
        assert self.sessions is not None
        with self.sessions() as session:
            for status, count in session.execute(
                select(EnquiryRow.status, func.count()).group_by(EnquiryRow.status)
            ):
                cases.add_metric([status], count)
            for kind, status, count in session.execute(
                select(DeliveryRow.kind, DeliveryRow.status, func.count()).group_by(
                    DeliveryRow.kind, DeliveryRow.status
                )
            ):
                mails.add_metric([kind, status], count)
        yield cases
        yield mails
