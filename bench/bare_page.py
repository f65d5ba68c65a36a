"""The desk's yardstick: a bare page that renders one template after one indexed SELECT,
served like the desk (one uvicorn worker, its thread pool and connection pool sizes)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import DictLoader, Environment, select_autoescape
from sqlalchemy import select

from shared.db.engine import make_engine
from shared.db.models import EnquiryRow

THREADS = 16  # the web process's thread pool (intake_threads)
POOL_SIZE, MAX_OVERFLOW = 8, 8  # the desk's connection pool

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ case.reference }}</title></head>
<body><main>
<h1>{{ case.reference }} <span class="badge">{{ case.status }}</span></h1>
<p class="subject">{{ case.subject or "(no subject)" }}</p>
<p class="meta">{{ case.name }} · {{ case.language }} · {{ case.received_at }}</p>
<div class="message">{{ case.message }}</div>
</main></body></html>
"""


def create_app() -> FastAPI:
    engine = make_engine(
        os.environ["BARE_DATABASE_URL"], pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW
    )
    env = Environment(
        loader=DictLoader({"page.html.j2": TEMPLATE}),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
    )
    query = select(
        EnquiryRow.reference,
        EnquiryRow.status,
        EnquiryRow.subject,
        EnquiryRow.name,
        EnquiryRow.language,
        EnquiryRow.received_at,
        EnquiryRow.message,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield
        engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/page/{reference}")
    def one_page(reference: str) -> HTMLResponse:
        with engine.connect() as connection:
            case = connection.execute(query.where(EnquiryRow.reference == reference)).one()
        return HTMLResponse(env.get_template("page.html.j2").render(case=case))

    return app
