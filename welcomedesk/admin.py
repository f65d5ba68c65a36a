"""Administrators' commands on the database: directory, manager tokens, dead letters."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from services.notifications.service import dead_letters, revive
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.models import DeliveryRow, EnquiryRow
from shared.directory import load_directory
from shared.directory.store import export_directory, import_directory, read_directory
from shared.events import MailRequested
from shared.messaging.broker import make_celery, publisher
from shared.messaging.outbox import add_event, publish_pending
from shared.region import load_region
from shared.settings import Settings


def _sessions(settings: Settings) -> sessionmaker[Session]:
    return session_factory(make_engine(settings.database_url))


def directory_import(settings: Settings, path: Path) -> int:
    region = load_region()
    directory = load_directory(path, districts=region.districts)
    with session_scope(_sessions(settings)) as session:
        counts = import_directory(session, directory)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" imported from {path}")
    return 0


def directory_export(settings: Settings) -> int:
    with _sessions(settings)() as session:
        sys.stdout.write(export_directory(read_directory(session)))
    return 0


def mail_dead_letters(settings: Settings, resend: list[int]) -> int:
    sessions = _sessions(settings)
    if not resend:
        with sessions() as session:
            rows = dead_letters(session)
            for row in rows:
                enquiry = session.get(EnquiryRow, row.enquiry_id)
                reference = enquiry.reference if enquiry else "?"
                print(
                    f"{row.id}\t{reference}\t{row.kind}\t{row.attempts} attempts\t{row.last_error}"
                )
            print(f"{len(rows)} dead letter(s)", file=sys.stderr)
        return 0
    event_ids = []
    with session_scope(sessions) as session:
        wanted = {d.id for d in dead_letters(session)}
        unknown = [str(i) for i in resend if i not in wanted]
        if unknown:
            print(f"not dead letters: {', '.join(unknown)}; nothing was queued", file=sys.stderr)
            return 1
        for delivery_id in resend:
            delivery: DeliveryRow = revive(session, delivery_id=delivery_id)
            enquiry = session.get(EnquiryRow, delivery.enquiry_id)
            correlation_id = enquiry.correlation_id if enquiry else ""
            event_ids.append(
                add_event(session, MailRequested(correlation_id, delivery_id=delivery.id))
            )
    sent = publish_pending(
        sessions, publisher(make_celery(settings, "welcomedesk-cli")), ids=event_ids
    )
    print(
        f"{len(event_ids)} dead letter(s) queued again "
        f"({sent} published now, the rest by the relay)"
    )
    return 0
