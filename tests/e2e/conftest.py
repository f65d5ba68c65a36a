"""The whole system on PostgreSQL, Redis and a real SMTP server, as separate processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import Engine

from shared.db.engine import make_engine
from tests.support.browser import chromium
from tests.support.servers import (
    RedisServer,
    SmtpSink,
    database,
    postgres_server,
    redis_server,
    smtp_sink,
)
from tests.support.system import System

SECRET = "test-secret-key-0123456789abcdef"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, for the modules that drive a browser."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def postgres_admin() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def database_url(postgres_admin: str) -> Iterator[str]:
    with database(postgres_admin) as url:
        yield url


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpSink]:
    with smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def db(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def system(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, redis: RedisServer, smtp: SmtpSink
) -> Iterator[System]:
    workdir: Path = tmp_path_factory.mktemp("system")
    system = System(
        env={
            "WELCOMEDESK_DATABASE_URL": database_url,
            "WELCOMEDESK_BROKER_URL": redis.url,
            "WELCOMEDESK_SMTP_URL": smtp.url,
            "WELCOMEDESK_SECRET_KEY": SECRET,
            "WELCOMEDESK_LOG_FORMAT": "json",
            "WELCOMEDESK_RELAY_INTERVAL": "2",
            "WELCOMEDESK_MAIL_RETRY_BACKOFF": "1",
            "WELCOMEDESK_VISIBILITY_TIMEOUT": "5",
            "WELCOMEDESK_RATE_LIMIT": "1000/minute",
        },
        workdir=workdir,
    )
    demo = Path(__file__).resolve().parents[2] / "shared" / "data" / "demo_directory.yaml"
    for args in (("migrate",), ("directory", "import", str(demo))):
        done = system.cli(*args)
        assert done.returncode == 0, done.stderr
    system.start("intake", "serve")
    system.start("routing", "worker", "routing", "--pool", "solo")
    system.start("notifications", "worker", "notifications", "--pool", "solo")
    system.start("relay", "relay")
    system.start("beat", "beat")
    yield system
    system.stop_all()
