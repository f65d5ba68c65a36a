"""An application served in-process (its lifespan too) to an httpx client: the intake's
by default, or the whole web process's (intake and desk)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from services.intake.app import create_app
from shared.settings import Settings

Steps = Callable[[httpx.AsyncClient], Awaitable[None]]


def run_app(
    settings: Settings, steps: Steps, factory: Callable[[Settings], FastAPI] = create_app
) -> None:
    app = factory(settings)

    async def main() -> None:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://testserver"
            ) as client,
        ):
            await steps(client)

    asyncio.run(main())
