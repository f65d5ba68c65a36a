"""The case lists on SQLite (the embedded default): each person finds in each list exactly
the cases the access rules give them, searched and counted and paged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from services.desk.cases.listing import PAGE_SIZE, Filters, list_cases
from tests.support.case_lists import PEOPLE, Case, add_cases, check_every_list, expected
from tests.support.db import migrated, sqlite_url


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, list[Case]]]:
    folder: Path = tmp_path_factory.mktemp("lists")
    with migrated(sqlite_url(folder)) as sessions, sessions() as session:
        yield session, add_cases(session)


def test_each_person_finds_what_the_access_rules_give_them(
    desk: tuple[Session, list[Case]],
) -> None:
    session, cases = desk
    assert check_every_list(session, cases) > 100


def test_pages_past_the_last_show_the_last(desk: tuple[Session, list[Case]]) -> None:
    session, cases = desk
    admin = PEOPLE["an administrator"]
    everything = expected(admin, "all", None, cases)
    assert len(everything) > PAGE_SIZE
    for q in (None, "person"):
        second = list_cases(session, staff=admin, view="all", filters=Filters(q=q), page=2)
        beyond = list_cases(session, staff=admin, view="all", filters=Filters(q=q), page=99)
        assert second.page == beyond.page == second.pages == 2
        assert [c.reference for c in beyond.items] == everything[PAGE_SIZE:]
        assert beyond.total == len(everything)
    nothing = list_cases(session, staff=admin, view="all", filters=Filters(q="zzz"), page=3)
    assert (nothing.page, nothing.pages, nothing.total, nothing.items) == (1, 1, 0, [])
