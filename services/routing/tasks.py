"""Celery adapters of the routing service: open a session, call one function, publish."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
from celery import Celery
from sqlalchemy.exc import OperationalError

from services.routing import escalation, reassign, service, suggestions
from shared.db.engine import session_scope
from shared.db.models import utcnow
from shared.events import ESCALATE, REASSIGN_CASE, REFRESH_SUGGESTIONS, ROUTE_ENQUIRY
from shared.messaging.outbox import publish_committed
from shared.metrics import ENQUIRIES_ROUTED

if TYPE_CHECKING:
    from services.routing.worker import RoutingRuntime

log = structlog.get_logger(__name__)


# Late acks and a decision made once: a redelivered event does no harm. A database that
# is away is waited for.
RETRIED: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 60,
    "max_retries": 20,
    "ignore_result": True,
}


def register(app: Celery, runtime: RoutingRuntime) -> None:
    @app.task(name=ROUTE_ENQUIRY, **RETRIED)
    def route_enquiry(enquiry_id: int, correlation_id: str = "") -> str:
        with session_scope(runtime.sessions) as session:
            routed = service.route_enquiry(
                session,
                enquiry_id=enquiry_id,
                engine=runtime.routing_engine(session),
                person_key=runtime.settings.person_key,
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

    @app.task(name=REASSIGN_CASE, **RETRIED)
    def reassign_case(
        enquiry_id: int, request_id: int, previous_manager: str | None, correlation_id: str = ""
    ) -> str:
        with session_scope(runtime.sessions) as session:
            done = reassign.reassign_case(
                session,
                enquiry_id=enquiry_id,
                request_id=request_id,
                previous_manager=previous_manager,
                engine=runtime.routing_engine(session),
            )
        ENQUIRIES_ROUTED.labels(outcome=f"reassigned_{done.outcome}").inc()
        log.info(
            "case_reassigned",
            reference=done.reference,
            outcome=done.outcome,
            manager_id=done.manager_id,
        )
        return done.outcome

    @app.task(name=REFRESH_SUGGESTIONS, **RETRIED)
    def refresh_suggestions(enquiry_id: int, correlation_id: str = "") -> int:
        with session_scope(runtime.sessions) as session:
            chosen = suggestions.refresh_suggestions(
                session, enquiry_id=enquiry_id, engine=runtime.routing_engine(session)
            )
        log.info("suggestions_refreshed", enquiry_id=enquiry_id, partners=len(chosen))
        return len(chosen)

    @app.task(name=ESCALATE, **RETRIED)
    def escalate(correlation_id: str = "") -> int:
        with session_scope(runtime.sessions) as session:
            done = escalation.sweep(
                session,
                now=utcnow(),
                engine=runtime.routing_engine(session),
                defaults=runtime.limits,
            )
        return len(done)
