"""Operators' commands on received mail: list it, and handle failed or dead mail again."""

from __future__ import annotations

import sys

from sqlalchemy import select

from services.intake.inbound.poll import report
from services.intake.inbound.service import reprocess_mail
from services.intake.mail.reading import MailContext
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.models import InboundMailRow
from shared.messaging.broker import make_celery, publisher
from shared.messaging.outbox import publish_pending
from shared.settings import Settings

WAITING = ("failed", "dead")


def mail_inbound(settings: Settings, *, failed: bool, limit: int) -> int:
    """One line per received mail, newest first: ids, kinds and outcomes, no personal data."""
    sessions = session_factory(make_engine(settings.database_url))
    query = select(InboundMailRow).order_by(InboundMailRow.id.desc()).limit(limit)
    if failed:
        query = query.where(InboundMailRow.status.in_(WAITING))
    with sessions() as session:
        rows = list(session.scalars(query))
        for row in rows:
            error = (row.last_error or "").splitlines()[0][:120] if row.last_error else ""
            print(
                f"{row.id}\t{row.received_at:%Y-%m-%d %H:%M}\t{row.source}\t{row.kind or '-'}"
                f"\t{row.status}\t{row.outcome or '-'}\t{row.reference or '-'}"
                f"\t{row.attempts} attempt(s)\t{error}"
            )
    print(f"{len(rows)} received mail(s)", file=sys.stderr)
    return 0


def mail_reprocess(settings: Settings, ids: list[int]) -> int:
    sessions = session_factory(make_engine(settings.database_url))
    context = MailContext.from_settings(settings)
    if not ids:
        with sessions() as session:
            ids = list(
                session.scalars(
                    select(InboundMailRow.id)
                    .where(InboundMailRow.status.in_(WAITING))
                    .order_by(InboundMailRow.id)
                )
            )
    failures = 0
    events: list[int] = []
    for inbound_id in ids:
        try:
            with session_scope(sessions) as session:
                done = reprocess_mail(
                    session,
                    inbound_id=inbound_id,
                    context=context,
                    max_attempts=settings.inbound_max_attempts,
                )
        except LookupError as exc:
            print(f"{inbound_id}\tnot reprocessed: {exc}", file=sys.stderr)
            failures += 1
            continue
        report(done)
        events += done.outbox_ids
        failures += done.status != "processed"
        print(f"{done.inbound_id}\t{done.outcome}\t{done.status}\t{done.reference or '-'}")
    if events:  # at once when the broker answers; else the relay publishes them
        publish_pending(sessions, publisher(make_celery(settings, "welcomedesk-cli")), ids=events)
    print(f"{len(ids)} mail(s) reprocessed, {failures} not handled", file=sys.stderr)
    return 1 if failures else 0
