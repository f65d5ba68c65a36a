"""`welcomedesk statistics rebuild`: facts for routed cases that have none (a database from
before the statistics), then the monthly counters summed afresh from the facts."""

from __future__ import annotations

import sys

from shared.db.engine import make_engine
from shared.settings import Settings
from shared.statistics.rebuild import open_missing_facts, rebuild_counters


def rebuild(settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            opened = open_missing_facts(connection, person_key=settings.person_key)
            counters = rebuild_counters(connection)
    finally:
        engine.dispose()
    print(f"{opened} case(s) given facts; {counters} monthly counter(s) summed", file=sys.stderr)
    return 0
