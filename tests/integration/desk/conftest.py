"""The desk's use cases on a real PostgreSQL database with the demo directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.support.db import migrated
from tests.support.servers import database, postgres_server


@pytest.fixture(scope="module")
def sessions() -> Iterator[sessionmaker[Session]]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as factory:
        yield factory
