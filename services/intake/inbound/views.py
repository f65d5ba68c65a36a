"""POST /api/v1/inbound/mime: one raw RFC 5322 message, from a mail server's pipe or a
provider's inbound webhook, stored and acted on at once; the answer says what it did."""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Request, Response
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from services.intake.answers import Problem
from services.intake.deps import CorrelationIdDep, RuntimeDep
from services.intake.inbound.poll import report
from services.intake.inbound.service import Ingested, Outcome, ingest_mail
from services.intake.mail.reading import MailContext
from services.intake.runtime import Runtime
from shared.db.engine import session_scope

PATH = "/api/v1/inbound/mime"
router = APIRouter()


class InboundAnswer(BaseModel):
    inbound_id: int
    outcome: Outcome  # created, joined, recorded, ignored, duplicate; failed: kept, retried
    kind: str | None
    reference: str | None
    status: Literal["processed", "failed", "dead"]


def _ingest(runtime: Runtime, raw: bytes, correlation_id: str) -> Ingested:
    settings = runtime.settings
    with session_scope(runtime.sessions) as session:
        return ingest_mail(
            session,
            raw=raw,
            source="mime",
            context=MailContext.from_settings(settings),
            correlation_id=correlation_id,
            max_attempts=settings.inbound_max_attempts,
        )


@router.post(
    PATH,
    response_model=InboundAnswer,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
    responses={
        202: {
            "model": InboundAnswer,
            "description": "stored, but acting on it failed: it is tried again",
        },
        401: {"model": Problem, "description": "no or wrong bearer token"},
        503: {
            "model": Problem,
            "description": "not enabled (WELCOMEDESK_INBOUND_TOKEN), or the database away",
        },
    },
)
async def inbound_mime(
    request: Request,
    response: Response,
    runtime: RuntimeDep,
    correlation_id: CorrelationIdDep,
    authorization: Annotated[str | None, Header()] = None,
) -> InboundAnswer:
    token = runtime.settings.inbound_token
    if token is None:
        raise HTTPException(503, "inbound mail is not enabled (set WELCOMEDESK_INBOUND_TOKEN)")
    given = (authorization or "").removeprefix("Bearer ").strip().encode()
    if not secrets.compare_digest(given, token.encode()):
        raise HTTPException(401, "the inbound token is required (Authorization: Bearer ...)")
    raw = await request.body()
    if not raw.strip():
        raise HTTPException(400, "the body must be one RFC 5322 message; it is empty")
    try:
        done = await run_in_threadpool(_ingest, runtime, raw, correlation_id)
    except SQLAlchemyError as exc:
        # Nothing was stored: the sender (a mail server) keeps the message and tries again.
        raise HTTPException(503, "the message could not be stored; try again later") from exc
    report(done)
    if done.status != "processed":
        response.status_code = 202
    return InboundAnswer(
        inbound_id=done.inbound_id,
        outcome=done.outcome,
        kind=done.kind,
        reference=done.reference,
        status=done.status,
    )
