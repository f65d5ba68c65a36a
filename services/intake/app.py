"""The intake's FastAPI application, made by a factory (nothing is built at import)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import REGISTRY
from sqlalchemy.exc import OperationalError

from services.intake import api, form, status_page
from services.intake.answers import COMMON
from services.intake.inbound import views as inbound
from services.intake.middleware import BodyLimit, CorrelationId, RefuseNul
from services.intake.runtime import Runtime
from shared.metrics import DatabaseTotals
from shared.settings import Settings, get_intake_settings

log = structlog.get_logger(__name__)
_TOTALS = DatabaseTotals()
_registered: list[DatabaseTotals] = []


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """422 naming each bad field, without echoing what was sent: input may not even be
    encodable (a lone surrogate), and it is personal data."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


async def _database_away(_request: Request, exc: Exception) -> JSONResponse:
    """503 rather than 500 while the database restarts or is unreachable: the client may
    send again, and nothing half-written stays behind (each use case is one transaction)."""
    assert isinstance(exc, OperationalError)
    log.warning("database_unavailable", error=type(exc.orig).__name__)
    return JSONResponse(
        {"detail": "the database is unavailable for a moment; please send again shortly"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def create_app(
    settings: Settings | None = None, *, larger_bodies: dict[str, int] | None = None
) -> FastAPI:
    """`larger_bodies`: paths (regular expressions) of other parts of the application
    that take more than a form, with their limits."""
    settings = settings or get_intake_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = settings.intake_threads
        runtime = Runtime.start(settings)
        runtime.warm_up()
        app.state.runtime = runtime
        _TOTALS.sessions = runtime.sessions
        if not _registered:
            REGISTRY.register(_TOTALS)
            _registered.append(_TOTALS)
        try:
            yield
        finally:
            runtime.close()

    # Swagger UI from the files of a package, never a CDN: /docs works offline.
    app = FastAPIOffline(
        title="welcomedesk intake",
        version="1",
        summary="Enquiries in: web form, JSON API and e-mail.",
        lifespan=lifespan,
        redoc_url=None,
        static_url="/docs-assets",
        favicon_url="/favicon.ico",
    )
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(OperationalError, _database_away)
    app.include_router(api.router, responses=COMMON)
    app.include_router(form.router)
    app.include_router(status_page.router)
    app.include_router(inbound.router, responses=COMMON)
    app.mount("/static", StaticFiles(directory=form.STATIC), name="static")
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_body_bytes,
        paths={inbound.PATH: settings.inbound_max_bytes},
        patterns=larger_bodies,
    )
    app.add_middleware(RefuseNul)
    app.add_middleware(CorrelationId)
    return app
