"""The yardstick: a bare FastAPI endpoint doing one INSERT with the intake's driver."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert

from shared.db.engine import make_engine

metadata = MetaData()
bare = Table(
    "bare_enquiries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message", Text, nullable=False),
)


class Body(BaseModel):
    message: str


THREADS = 16  # the intake's default thread pool and connection pool, for a fair yardstick


def create_app() -> FastAPI:
    engine = make_engine(os.environ["BARE_DATABASE_URL"], pool_size=THREADS, max_overflow=4)
    metadata.create_all(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield

    app = FastAPI(lifespan=lifespan)

    @app.post("/api/v1/enquiries", status_code=202)
    def create(body: Body) -> dict[str, str]:
        with engine.begin() as connection:
            connection.execute(insert(bare).values(message=body.message))
        return {"status": "accepted"}

    return app
