"""Puts the desk into a FastAPI application: its routes, its static files, the redirect to
sign in, and its runtime (built when the application starts, closed when it stops)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.desk import api
from services.desk.deps import SignInRequiredError
from services.desk.pages import auth, cases, files, statistics
from services.desk.runtime import DeskRuntime
from services.desk.statistics import api as statistics_api
from services.desk.views import STATIC
from shared.settings import Settings


async def _to_sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return RedirectResponse(exc.target, status_code=303)


REPLIES = r"/(api/v1/)?cases/[^/]+/replies"


def body_limits(settings: Settings) -> dict[str, int]:
    """A reply may carry files as large as those that come in by mail (in the API as
    base64, a third larger), with room for its text."""
    files = settings.mail_attachments_max_bytes
    return {REPLIES: files * 4 // 3 + 256 * 1024}


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(api.router)
    app.include_router(statistics_api.router)
    app.include_router(auth.router)
    app.include_router(files.router)
    app.include_router(cases.router)
    app.include_router(statistics.router)
    app.mount("/desk-static", StaticFiles(directory=STATIC), name="desk-static")
    app.add_exception_handler(SignInRequiredError, _to_sign_in)
    before = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with before(application) as state:
            desk = DeskRuntime.start(settings)
            application.state.desk = desk
            try:
                yield state
            finally:
                desk.close()

    app.router.lifespan_context = lifespan
