"""`welcomedesk understanding corrections`: the cases staff corrected, as a labelled corpus."""

from __future__ import annotations

import datetime as dt
import json
import sys

from services.desk.cases.corrections import corrected_cases
from shared.db.engine import make_engine, session_factory
from shared.settings import Settings


def corrections(settings: Settings, *, since: dt.datetime | None, with_contacts: bool) -> int:
    engine = make_engine(settings.database_url)
    count = 0
    try:
        with session_factory(engine)() as session:
            for line in corrected_cases(session, since=since, with_contacts=with_contacts):
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
                count += 1
    finally:
        engine.dispose()
    print(f"{count} corrected case(s)", file=sys.stderr)
    return 0
