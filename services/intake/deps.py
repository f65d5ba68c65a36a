"""Dependencies of the routes: the runtime, a database session, the rate limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from services.intake.runtime import Runtime

# The small dependencies are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, a hand-over that costs more than the work itself.


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    with runtime.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]


async def get_correlation_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("correlation_id", ""))


CorrelationIdDep = Annotated[str, Depends(get_correlation_id)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _wait(request: Request, runtime: Runtime, kind: str) -> str | None:
    key = client_address(request)
    if await runtime.limiter.hit(runtime.rate, kind, key):
        return None
    stats = await runtime.limiter.get_window_stats(runtime.rate, kind, key)
    return str(max(1, int(stats.reset_time - time.time())))


async def retry_after(request: Request, runtime: RuntimeDep) -> str | None:
    """None within the per-address limit of submissions, else the seconds to wait (for
    Retry-After): the form words its own answer."""
    return await _wait(request, runtime, "intake")


def _refuse(wait: str | None) -> None:
    if wait is not None:
        raise HTTPException(
            429,
            "too many requests from this address; try again later",
            headers={"Retry-After": wait},
        )


async def rate_limited(request: Request, runtime: RuntimeDep) -> None:
    """Per-address limit of submissions; 429 with Retry-After when exceeded."""
    _refuse(await _wait(request, runtime, "intake"))


async def lookup_limited(request: Request, runtime: RuntimeDep) -> None:
    """Per-address limit of status lookups (counted apart from submissions, so that
    looking at one's status never costs a submission); 429 with Retry-After."""
    _refuse(await _wait(request, runtime, "lookup"))
