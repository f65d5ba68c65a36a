"""The error answers every documented route may give, for /openapi.json: what a client can
be told besides the route's own answers, each with its JSON shape."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    """Why a request was not taken; `detail` says what to change."""

    detail: str


def _problem(description: str, **extra: Any) -> dict[str, Any]:
    return {"model": Problem, "description": description, **extra}


RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}

# Any route: refused before it runs (middleware), or the database away.
COMMON: dict[int | str, dict[str, Any]] = {
    400: _problem("a NUL character in the path, query or headers, or a body not readable"),
    413: _problem("the request body is larger than the limit"),
    503: _problem("the database is unavailable for a moment: send again", headers=RETRY_AFTER),
}
# Routes under the per-address rate limit.
LIMITED: dict[int | str, dict[str, Any]] = {
    429: _problem("too many requests from this address", headers=RETRY_AFTER),
}
