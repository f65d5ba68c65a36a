"""The statistics on a small year worked out by hand, on PostgreSQL and on SQLite alike:
every figure of PRODUCT.md, whole months from the counters and edge days from the case
facts; and the figures unchanged, to the byte, after every personal column is blanked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from services.desk.statistics import service
from services.desk.statistics.figures import Tally, figures
from services.desk.statistics.period import Period
from services.desk.statistics.queries import facts_between
from shared.db.models import CaseMessageRow, DeliveryRow, EnquiryRow, StatisticsMonthRow
from shared.statistics.facts import open_case_facts
from shared.statistics.rebuild import rebuild_counters, summed_counters
from tests.support.db import migrated, sqlite_url
from tests.support.servers import database, postgres_server
from tests.support.statistics import EXPECTED, KEY, write_year

Sessions = sessionmaker[Session]
NOVEMBER_DECEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 12, 31))


@pytest.fixture(scope="module")
def postgres() -> Iterator[Sessions]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as factory:
        write_year(factory)
        yield factory


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sessions]:
    folder: Path = tmp_path_factory.mktemp("statistics-sqlite")
    with migrated(sqlite_url(folder)) as factory:
        write_year(factory)
        yield factory


def _figures(sessions: Sessions, period: Period, site: str | None = None) -> dict[str, Any]:
    with sessions() as session:
        return service.statistics(session.connection(), period, site)


def _cases(sessions: Sessions, period: Period, site: str | None = None) -> str:
    with sessions() as session:
        return b"".join(service.cases_csv(session.connection(), period, site)).decode()


def test_every_figure_of_two_months_as_worked_out_by_hand(postgres: Sessions) -> None:
    assert _figures(postgres, NOVEMBER_DECEMBER) == EXPECTED


def test_one_site_counts_its_own_cases_and_persons(postgres: Sessions) -> None:
    found = _figures(postgres, NOVEMBER_DECEMBER, "braunschweig")
    assert (found["site"], found["contacts"], found["persons"]) == ("braunschweig", 4, 4)
    assert (found["first_contacts"], found["follow_ups"]) == (1, 3)  # only C is new
    assert found["by_site"] == {"braunschweig": 4}
    assert found["by_month"] == {"2026-11": 1, "2026-12": 3}
    assert found["time_to_closing"] == {"cases": 2, "median_hours": 0.0, "p90_hours": 14.0}


@pytest.mark.parametrize(
    ("start", "end", "contacts", "persons"),
    [
        ((11, 15), (12, 10), 3, 2),  # no whole month: 4, 8 and 5 (D's second on one day)
        ((10, 15), (11, 30), 4, 3),  # A's October case and November follow-up: one person
        ((10, 21), (11, 30), 3, 3),  # A's previous contact falls before the period
        ((12, 1), (12, 1), 2, 1),  # D twice on 1 December, once by the Berlin clock
    ],
)
def test_periods_that_cut_months_count_persons_once(
    postgres: Sessions,
    start: tuple[int, int],
    end: tuple[int, int],
    contacts: int,
    persons: int,
) -> None:
    period = Period(dt.date(2026, *start), dt.date(2026, *end))
    found = _figures(postgres, period)
    assert (found["contacts"], found["persons"]) == (contacts, persons)
    assert sum(found["by_month"].values()) == contacts


def test_sqlite_gives_the_same_figures_and_cases(postgres: Sessions, sqlite: Sessions) -> None:
    for period in (NOVEMBER_DECEMBER, Period(dt.date(2026, 10, 21), dt.date(2026, 12, 2))):
        assert _figures(sqlite, period) == _figures(postgres, period)
        assert _cases(sqlite, period) == _cases(postgres, period)


def test_the_cases_csv_has_one_row_per_case_and_nothing_personal(postgres: Sessions) -> None:
    text = _cases(postgres, NOVEMBER_DECEMBER)
    lines = text.splitlines()
    assert lines[0].startswith("received_on,month,channel,requester_type,language,topic")
    assert len(lines) == 1 + 7
    assert lines[1].startswith("2026-11-02,2026-11,email,worker,en,language,gifhorn,wolfsburg")
    assert lines[1].endswith(",no,waiting,,,1.50,,")  # a follow-up, answered after 1.5 h
    assert "@" not in text and "151" not in text and "Person" not in text


def test_figures_stay_the_same_to_the_byte_after_every_personal_column_is_blanked(
    postgres: Sessions,
) -> None:
    periods = (NOVEMBER_DECEMBER, Period(dt.date(2026, 10, 15), dt.date(2026, 12, 10)))
    before = [(service.statistics_csv(_figures(postgres, p)), _cases(postgres, p)) for p in periods]
    with postgres.begin() as session:
        session.execute(
            update(EnquiryRow).values(
                name=None,
                email=None,
                phone=None,
                company=None,
                postal_code=None,
                city=None,
                country=None,
                subject=None,
                message="",
            )
        )
        session.execute(update(CaseMessageRow).values(sender=None, subject=None, text=""))
        session.execute(update(DeliveryRow).values(recipient="", recipient_name=None))
    after = [(service.statistics_csv(_figures(postgres, p)), _cases(postgres, p)) for p in periods]
    assert after == before
    assert _figures(postgres, NOVEMBER_DECEMBER) == EXPECTED


def test_summing_the_facts_afresh_gives_the_counters_kept_with_every_change(
    postgres: Sessions,
) -> None:
    with postgres.begin() as session:
        kept = summed_counters(session.connection())
        stored = {
            (r.month, r.site, r.metric, r.value): r.n
            for r in session.scalars(select(StatisticsMonthRow))
            if r.n
        }
        assert stored == dict(kept)
        rebuild_counters(session.connection())
    assert _figures(postgres, NOVEMBER_DECEMBER) == EXPECTED


def test_opening_facts_a_case_already_has_counts_it_once(postgres: Sessions) -> None:
    """A case that got its facts from a rebuild before routing saw it: opening them again
    brings them up to date instead of counting the case twice."""
    with postgres.begin() as session:
        connection = session.connection()
        first = connection.execute(
            select(EnquiryRow.id).order_by(EnquiryRow.id).limit(1)
        ).scalar_one()
        before = summed_counters(connection)
        open_case_facts(connection, enquiry_id=first, person_key=KEY)
        open_case_facts(connection, enquiry_id=first, person_key=KEY, partners=())
        stored = {
            (r.month, r.site, r.metric, r.value): r.n
            for r in session.scalars(select(StatisticsMonthRow))
            if r.n
        }
        assert summed_counters(connection) == before
        assert stored == dict(before)
        session.rollback()  # the module's other tests see the year as written
    assert _figures(postgres, NOVEMBER_DECEMBER) == EXPECTED


days = st.dates(dt.date(2026, 10, 1), dt.date(2027, 1, 31))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=days, last=days, site=st.sampled_from([None, "braunschweig", "wolfsburg"]))
def test_any_period_counts_what_the_cases_of_that_period_count(
    postgres: Sessions, first: dt.date, last: dt.date, site: str | None
) -> None:
    period = Period(min(first, last), max(first, last))
    with postgres() as session:
        everything = list(
            facts_between(session.connection(), dt.date(2000, 1, 1), dt.date(2100, 1, 1), None)
        )
    chosen = [
        f
        for f in everything
        if period.start <= f.received_on <= period.end and (site is None or f.site == site)
    ]
    found = _figures(postgres, period, site)
    assert found["contacts"] == len(chosen)
    assert found["persons"] == len(
        {f.person if f.person is not None else -f.enquiry_id for f in chosen}
    )
    reference = Tally()
    for fact in chosen:
        reference.add_fact(fact, period=period, one_site=site is not None)
    reference.persons = found["persons"]
    assert found == figures(reference, period, site)
