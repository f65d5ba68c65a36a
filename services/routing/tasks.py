"""Celery adapters of the routing service: open a session, call one function, publish."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog
from celery import Celery
from sqlalchemy.exc import OperationalError

from services.routing import service
from shared.db.engine import session_scope
from shared.events import ROUTE_ENQUIRY
from shared.messaging.outbox import publish_committed
from shared.metrics import ENQUIRIES_ROUTED

if TYPE_CHECKING:
    from services.routing.worker import RoutingRuntime

log = structlog.get_logger(__name__)


def register(app: Celery, runtime: RoutingRuntime) -> None:
    @app.task(
        name=ROUTE_ENQUIRY,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(OperationalError,),
        retry_backoff=True,
        retry_backoff_max=60,
        max_retries=20,
        ignore_result=True,
    )
    def route_enquiry(enquiry_id: int, correlation_id: str = "") -> str:
        with session_scope(runtime.sessions) as session:
            routed = service.route_enquiry(
                session,
                enquiry_id=enquiry_id,
                engine=runtime.routing_engine(session),
                continuity_days=runtime.settings.continuity_days,
            )
        if routed.event is not None:  # committed: the notifications hear of it at once
            publish_committed(runtime.db, runtime.publish, routed.outbox_ids[0], routed.event)
        ENQUIRIES_ROUTED.labels(outcome=routed.outcome).inc()
        log.info(
            "enquiry_routed",
            reference=routed.reference,
            outcome=routed.outcome,
            manager_id=routed.manager_id,
        )
        return routed.outcome
