"""JSON API routes: parse, call one service function, map the result or error."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from pydantic_core import PydanticCustomError
from sqlalchemy import text

from services.intake import service
from services.intake.answers import LIMITED, Problem
from services.intake.deps import (
    CorrelationIdDep,
    DbSession,
    RuntimeDep,
    lookup_limited,
    rate_limited,
)
from services.intake.schemas import (
    ConsentRead,
    EnquiryAccepted,
    EnquiryCreate,
    StatusRead,
    check_site,
)
from shared import consent
from shared.metrics import ENQUIRIES_RECEIVED

router = APIRouter()
log = structlog.get_logger(__name__)


def status_url(request: Request, token: str) -> str:
    base = request.app.state.runtime.settings.base_url.rstrip("/")
    return f"{base}/api/v1/status/{token}"


@router.post(
    "/api/v1/enquiries",
    status_code=202,
    response_model=EnquiryAccepted,
    dependencies=[Depends(rate_limited)],
    responses={
        **LIMITED,
        409: {"model": Problem, "description": "Idempotency-Key reused with another body"},
    },
)
def create_enquiry(
    data: EnquiryCreate,
    request: Request,
    runtime: RuntimeDep,
    correlation_id: CorrelationIdDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> EnquiryAccepted:
    if data.preferred_site is not None:
        try:
            check_site(data.preferred_site, runtime.sites.codes(wanted=data.preferred_site))
        except PydanticCustomError as exc:
            loc = ("body", "preferred_site")
            raise RequestValidationError([{"loc": loc, "msg": str(exc), "type": exc.type}]) from exc
    try:
        received = service.receive_enquiry(
            runtime.engine,
            data=data,
            channel="api",
            correlation_id=correlation_id,
            idempotency_key=idempotency_key,
        )
    except service.IdempotencyConflictError as exc:
        raise HTTPException(409, "Idempotency-Key was used before with a different body") from exc
    if not received.repeated:
        ENQUIRIES_RECEIVED.labels(channel="api").inc()
        log.info("enquiry_received", reference=received.reference, channel="api")
    return EnquiryAccepted(
        reference=received.reference,
        status_url=status_url(request, received.status_token),
        received_at=received.received_at,
    )


@router.get(
    "/api/v1/consent",
    response_model=ConsentRead,
    responses={404: {"model": Problem, "description": "no such version"}},
)
def consent_text(
    lang: Annotated[str, Query(max_length=8)] = "en",
    version: Annotated[str | None, Query(max_length=32)] = None,
) -> ConsentRead:
    """The consent text the form shows (the current version unless one is named), in the
    language asked for, else in English; send its `version` and `language` with the
    enquiry as `consent_version` and `consent_language`."""
    try:
        shown = consent.text(version or consent.current_version(), lang.strip().lower())
    except consent.UnknownConsentError as exc:
        raise HTTPException(404, str(exc)) from exc
    return ConsentRead(
        version=shown.version,
        language=shown.language,
        processing=shown.processing,
        referral=shown.referral,
    )


@router.get(
    "/api/v1/status/{token}",
    response_model=StatusRead,
    dependencies=[Depends(lookup_limited)],
    responses={
        **LIMITED,
        404: {"model": Problem, "description": "no enquiry with this status link"},
    },
)
def enquiry_status(token: Annotated[str, Path(max_length=64)], session: DbSession) -> StatusRead:
    found = service.read_status(session, token=token)
    if found is None:
        raise HTTPException(404, "no enquiry with this status link")
    return found


@router.get("/healthz", include_in_schema=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
def readyz(session: DbSession, runtime: RuntimeDep, response: Response) -> dict[str, str]:
    checks = {"database": "ok", "broker": "ok"}
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:
        checks["database"] = type(exc).__name__
    try:
        with runtime.celery.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        checks["broker"] = type(exc).__name__
    if any(v != "ok" for v in checks.values()):
        response.status_code = 503
    return checks


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
