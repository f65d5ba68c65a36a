"""The yardstick: a bare FastAPI endpoint doing one INSERT with the intake's driver."""

from __future__ import annotations

import os

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


def create_app() -> FastAPI:
    engine = make_engine(os.environ["BARE_DATABASE_URL"])
    metadata.create_all(engine)
    app = FastAPI()

    @app.post("/api/v1/enquiries", status_code=202)
    def create(body: Body) -> dict[str, str]:
        with engine.begin() as connection:
            connection.execute(insert(bare).values(message=body.message))
        return {"status": "accepted"}

    return app
