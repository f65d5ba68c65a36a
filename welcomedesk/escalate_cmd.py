"""`welcomedesk escalate [--at ISO-DATETIME] [--dry-run]`: the escalation sweep once, as beat
runs it every minute; one JSON line per action (reference, action, from, to, reason).

A plain function of the settings and the options, for any command-line parser. A dry run
does everything in a transaction and rolls it back, so that it prints exactly what a
real run at that moment would do. Running it twice for the same moment does nothing
the second time.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

from services.routing.engine import RoutingEngine
from services.routing.escalation import sweep
from services.routing.timers import Limits
from shared.db.engine import make_engine, session_factory
from shared.directory.store import read_directory
from shared.logs import configure_logging
from shared.region import load_region
from shared.settings import Settings


def escalate(settings: Settings, *, at: dt.datetime | None, dry_run: bool) -> int:
    configure_logging(fmt=settings.log_format, level=settings.log_level)  # stderr: stdout is JSON
    now = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    limits = Limits(settings.accept_within_hours, settings.triage_within_hours)
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine)() as session:
            transaction = session.begin()
            routing = RoutingEngine(read_directory(session), load_region())
            done = sweep(session, now=now, engine=routing, defaults=limits)
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    finally:
        engine.dispose()
    for action in done:
        sys.stdout.write(json.dumps(action.as_line(), ensure_ascii=False) + "\n")
    what = "would be done" if dry_run else "done"
    print(f"{len(done)} action(s) {what} as of {now.isoformat()}", file=sys.stderr)
    return 0
