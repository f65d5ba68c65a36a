"""The cases of a period as CSV, one row per case and nothing personal: what
`GET /api/v1/statistics/cases.csv` streams.

On PostgreSQL the database writes the rows itself (COPY ... TO STDOUT, CSV), hundreds of
thousands a second; elsewhere (the embedded SQLite) Python writes the same bytes from the
same facts. A test holds the two to the byte.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, Final

from sqlalchemy import Connection

from services.desk.statistics.period import Period
from services.desk.statistics.queries import facts_between
from shared.statistics.contributions import STATISTICS_ZONE, Fact, local_day

COLUMNS: Final = (
    "received_on",
    "month",
    "channel",
    "requester_type",
    "language",
    "topic",
    "district",
    "site",
    "needs_interpreter",
    "first_contact",
    "status",
    "outcome",
    "closed_on",
    "first_response_office_hours",
    "closing_office_hours",
    "referrals",
)
CHUNK_BYTES: Final = 64 * 1024  # one write to the client per this much
CHUNK_ROWS: Final = 1000
# Empty values are NULL, which CSV writes as nothing, as Python's csv module does.
_COPY: Final = f"""
COPY (
  SELECT received_on::text, to_char(received_on, 'YYYY-MM'), channel, requester_type,
         NULLIF(language, ''), topic, NULLIF(district, ''), NULLIF(site, ''),
         CASE WHEN needs_interpreter THEN 'yes' ELSE 'no' END,
         CASE WHEN prev_any_on IS NULL THEN 'yes' ELSE 'no' END,
         status, NULLIF(outcome, ''),
         (closed_at AT TIME ZONE '{STATISTICS_ZONE.key}')::date::text,
         to_char(first_response_minutes / 60.0, 'FM999999990.00'),
         to_char(closing_minutes / 60.0, 'FM999999990.00'),
         NULLIF(array_to_string(ARRAY(SELECT json_array_elements_text(partners)), ' '), '')
  FROM case_facts
  WHERE received_on BETWEEN %(start)s AND %(end)s AND (%(site)s::text IS NULL OR site = %(site)s)
  ORDER BY received_on, enquiry_id
) TO STDOUT WITH (FORMAT csv)
"""


def _csv(lines: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(lines)
    return buffer.getvalue()


def _hours(minutes: int | None) -> str:
    return "" if minutes is None else f"{minutes / 60:.2f}"


def case_line(fact: Fact) -> tuple[str, ...]:
    return (
        fact.received_on.isoformat(),
        fact.month,
        fact.channel,
        fact.requester_type,
        fact.language or "",
        fact.topic,
        fact.district or "",
        fact.site or "",
        "yes" if fact.needs_interpreter else "no",
        "yes" if fact.prev_any_on is None else "no",
        fact.status,
        fact.outcome or "",
        local_day(fact.closed_at).isoformat() if fact.closed_at else "",
        _hours(fact.first_response_minutes),
        _hours(fact.closing_minutes),
        " ".join(fact.partners),
    )


def _copied(connection: Connection, period: Period, site: str | None) -> Iterator[bytes]:
    driver: Any = connection.connection.driver_connection  # psycopg's own connection
    params = {"start": period.start, "end": period.end, "site": site}
    chunk = bytearray()
    with driver.cursor() as cursor, cursor.copy(_COPY, params) as copy:
        for data in copy:  # a row at a time, as libpq hands them over
            chunk += data
            if len(chunk) >= CHUNK_BYTES:
                yield bytes(chunk)
                chunk.clear()
    if chunk:
        yield bytes(chunk)


def _written(connection: Connection, period: Period, site: str | None) -> Iterator[bytes]:
    lines: list[tuple[str, ...]] = []
    for fact in facts_between(connection, period.start, period.end, site):
        lines.append(case_line(fact))
        if len(lines) == CHUNK_ROWS:
            yield _csv(lines).encode()
            lines = []
    if lines:
        yield _csv(lines).encode()


def cases_csv(connection: Connection, period: Period, site: str | None) -> Iterator[bytes]:
    """The header, then the cases in order of receipt, as chunks of UTF-8 CSV."""
    yield _csv([COLUMNS]).encode()
    if connection.dialect.name == "postgresql":
        yield from _copied(connection, period, site)
    else:
        yield from _written(connection, period, site)
