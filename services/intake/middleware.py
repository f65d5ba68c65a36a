"""ASGI middleware: a correlation id per request, no NUL in what addresses a request, and a
limit on request bodies."""

from __future__ import annotations

import json
import re
import uuid

import structlog
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class CorrelationId:
    """Binds one id to every log line from the request to the mail (X-Correlation-ID)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-correlation-id", b"").decode("latin-1")
        correlation_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-correlation-id", correlation_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


class RefuseNul:
    """Answers 400 to a NUL character in the path, the query or a header value.

    PostgreSQL's text cannot hold one, and no person types it: refused here, once for
    every route, path and query parameters, headers included, before any of them is
    looked up in the database."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            await answer(send, 400, "the request's path, query or headers contain a NUL character")
            return
        await self.app(scope, receive, send)


def _has_nul(scope: Scope) -> bool:
    query = bytes(scope.get("query_string", b"")).lower()
    return (
        "\x00" in scope.get("path", "")
        or b"%00" in query
        or b"\x00" in query
        or any(b"\x00" in value for _name, value in scope["headers"])
    )


class BodyTooLargeError(HTTPException):
    """Raised while a body is read, when it grows past its limit; answered with 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


class BodyLimit:
    """Answers 413 to a body over the limit, declared or streamed.

    The body is counted as the route reads it, never held here: a route that refuses a
    request on its headers alone (a missing token) answers without reading a byte of a
    large body. `paths` gives some paths a limit of their own (raw mail is larger than
    a form); `patterns` does the same for paths that match a regular expression."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        paths: dict[str, int] | None = None,
        patterns: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.paths = paths or {}
        self.patterns = [(re.compile(p), limit) for p, limit in (patterns or {}).items()]

    def limit_of(self, path: str) -> int:
        if path in self.paths:
            return self.paths[path]
        return next((n for p, n in self.patterns if p.fullmatch(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_of(scope.get("path", ""))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await answer(send, 413, BodyTooLargeError(limit).detail)
            return
        size = 0
        started = False

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLargeError as exc:
            if started:
                raise
            await answer(send, 413, exc.detail)


async def answer(send: Send, status: int, detail: str) -> None:
    """A JSON error answer, as the routes give them, from a middleware."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
