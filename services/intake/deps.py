"""Dependencies of the routes: the runtime, a database session, the rate limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from services.intake.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


def get_correlation_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("correlation_id", ""))


CorrelationIdDep = Annotated[str, Depends(get_correlation_id)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request, runtime: RuntimeDep) -> None:
    """Per-address limit of the public endpoints; 429 with Retry-After when exceeded."""
    key = client_address(request)
    if not runtime.limiter.hit(runtime.rate, "intake", key):
        reset = runtime.limiter.get_window_stats(runtime.rate, "intake", key).reset_time
        raise HTTPException(
            429,
            "too many requests from this address; try again later",
            headers={"Retry-After": str(max(1, int(reset - time.time())))},
        )
