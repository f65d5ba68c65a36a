"""The case lists on PostgreSQL: the same cases found as on SQLite, through the trigram
index for a search and the manager's index for their own list."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Select, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from services.desk.cases.search import SEPARATOR, matches
from shared.db.migrate import upgrade
from shared.db.models import EnquiryRow
from tests.support.case_lists import PEOPLE, Case, add_cases, check_every_list
from tests.support.db import migrated
from tests.support.servers import database, postgres_server


@pytest.fixture(scope="module")
def desk() -> Iterator[tuple[Session, list[Case]]]:
    with (
        postgres_server() as admin,
        database(admin) as url,
        migrated(url) as sessions,
        sessions() as session,
    ):
        cases = add_cases(session)
        session.commit()
        yield session, cases


def test_each_person_finds_what_the_access_rules_give_them(
    desk: tuple[Session, list[Case]],
) -> None:
    session, cases = desk
    assert check_every_list(session, cases) > 100


def test_a_search_with_the_separator_finds_nothing_across_fields(
    desk: tuple[Session, list[Case]],
) -> None:
    session, _ = desk
    across = f"Person 1{SEPARATOR}p1@"  # the end of one field and the start of the next
    found = session.scalar(select(func.count()).where(matches(across, dialect="postgresql")))
    assert found == 0


def _plan(session: Session, query: Select[Any]) -> str:
    """The plan of a list's query, on a table too small for an index to pay off unless
    reading the table itself is made dear."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect)
    with session.begin_nested():
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
        return "\n".join(row[0] for row in plan)


def test_the_indexes_serve_the_lists(desk: tuple[Session, list[Case]]) -> None:
    session, _ = desk
    search = _plan(
        session, select(func.count()).where(matches("Anerkennung", dialect="postgresql"))
    )
    assert "ix_enquiries_search" in search, search
    manager = PEOPLE["ana (m-01, braunschweig)"].manager_id
    page = (
        select(EnquiryRow.reference)
        .where(EnquiryRow.manager_id == manager)
        .order_by(EnquiryRow.received_at.desc(), EnquiryRow.id.desc())
        .limit(25)
    )
    assert "ix_enquiries_manager_received" in _plan(session, page)


def test_the_search_index_needs_no_superuser() -> None:
    """The database's owner, without superuser rights, migrates and gets the index."""
    role = f"wd_owner_{uuid.uuid4().hex[:8]}"
    with postgres_server() as admin:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER')
        try:
            with database(admin) as url:
                name = make_url(url).database
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'ALTER DATABASE "{name}" OWNER TO "{role}"')
                upgrade(make_url(url).set(username=role).render_as_string(hide_password=False))
                with psycopg.connect(admin.rsplit("/", 1)[0] + f"/{name}") as conn:
                    found = conn.execute(
                        "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_enquiries_search'"
                    ).fetchone()
                assert found is not None
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')
