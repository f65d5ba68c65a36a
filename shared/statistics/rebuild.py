"""Making the statistics whole again: facts for routed cases that have none (cases from
before the statistics existed), and the monthly counters summed afresh from the facts.
`welcomedesk statistics rebuild` runs both; the counters' upkeep in every change makes
the second a no-op, which a test holds it to."""

from __future__ import annotations

from collections import Counter
from typing import cast

from sqlalchemy import Connection, Table, delete, exists, select

from shared.db.models import CaseFactRow, EnquiryRow, StatisticsMonthRow
from shared.statistics.contributions import Key, contributions
from shared.statistics.facts import FACTS, add_counts, fact_of_row, open_case_facts

BATCH = 5000
_E = cast(Table, EnquiryRow.__table__).c


def open_missing_facts(connection: Connection, *, person_key: bytes) -> int:
    """Facts for every routed case without them, from the case as it stands now."""
    missing = select(_E.id).where(
        _E.routed_at.is_not(None),
        ~exists().where(CaseFactRow.enquiry_id == _E.id),
    )
    count = 0
    for enquiry_id in connection.execute(missing.order_by(_E.received_at, _E.id)).scalars().all():
        open_case_facts(connection, enquiry_id=enquiry_id, person_key=person_key)
        count += 1
    return count


def summed_counters(connection: Connection) -> Counter[Key]:
    total: Counter[Key] = Counter()
    # On the statement: a connection's own options would outlast this read.
    rows = connection.execute(select(FACTS).execution_options(stream_results=True, yield_per=BATCH))
    for row in rows:
        total.update(contributions(fact_of_row(row._mapping)))
    return total


def rebuild_counters(connection: Connection) -> int:
    """Replaces the monthly counters by the sum of the facts; returns how many there are."""
    total = summed_counters(connection)
    connection.execute(delete(cast(Table, StatisticsMonthRow.__table__)))
    keys = sorted(total)
    for start in range(0, len(keys), BATCH):
        add_counts(connection, {k: total[k] for k in keys[start : start + BATCH]})
    return len(keys)
