"""Puts the desk into a FastAPI application: its routes, its static files, the redirect to
sign in, and its runtime (built when the application starts, closed when it stops)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.desk import api, api_templates
from services.desk.deps import SignInRequiredError
from services.desk.pages import (
    admin_staff,
    admin_templates,
    auth,
    cases,
    directory,
    files,
    me,
    privacy,
    statistics,
)
from services.desk.pages.edits import AdminOnlyPageError, FormRefusedError, admin_only, form_refused
from services.desk.reply_templates.checks import MAX_TEXT, MAX_TITLE
from services.desk.reply_templates.starter import load_at_start
from services.desk.runtime import DeskRuntime
from services.desk.statistics import api as statistics_api
from services.desk.views import STATIC
from shared.settings import Settings
from shared.vocabulary import REGION_LANGUAGES


async def _to_sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return RedirectResponse(exc.target, status_code=303)


REPLIES = r"/(api/v1/)?cases/[^/]+/replies"
TEMPLATES = r"/admin/templates(/[^/]+)?"
# A template in every region language at its longest, form-encoded (a character of
# Arabic or Cyrillic script is up to nine bytes as %XX%XX%XX).
TEMPLATE_BYTES = len(REGION_LANGUAGES) * (MAX_TITLE + MAX_TEXT) * 9 + 64 * 1024


def body_limits(settings: Settings) -> dict[str, int]:
    """A reply may carry files as large as those that come in by mail (in the API as
    base64, a third larger), with room for its text; a reply template holds a text in
    each of the region's languages."""
    files = settings.mail_attachments_max_bytes
    return {REPLIES: files * 4 // 3 + 256 * 1024, TEMPLATES: TEMPLATE_BYTES}


def install(
    app: FastAPI, settings: Settings, *, common: dict[int | str, dict[str, Any]] | None = None
) -> None:
    """`common`: the answers any route of the application may give (middleware's 400 and
    413, a 503 while the database is away), documented on the staff API's routes too."""
    app.include_router(api.router, responses=common)
    app.include_router(statistics_api.router, responses=common)
    app.include_router(auth.router)
    app.include_router(files.router)
    app.include_router(cases.router)
    app.include_router(api_templates.router, responses=common)
    for admin in (admin_templates, directory, admin_staff, me):
        app.include_router(admin.router)
    app.include_router(privacy.router)
    app.include_router(statistics.router)
    app.mount("/desk-static", StaticFiles(directory=STATIC), name="desk-static")
    app.add_exception_handler(SignInRequiredError, _to_sign_in)
    app.add_exception_handler(AdminOnlyPageError, admin_only)
    app.add_exception_handler(FormRefusedError, form_refused)
    before = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[Any]:
        async with before(application) as state:
            desk = DeskRuntime.start(settings)
            application.state.desk = desk
            load_at_start(desk.sessions)
            try:
                yield state
            finally:
                desk.close()

    app.router.lifespan_context = lifespan
