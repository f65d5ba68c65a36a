"""Operators' use cases on received mail: list it, and handle failed or dead mail again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound.poll import report
from services.intake.inbound.service import Ingested, reprocess_mail
from services.intake.mail.reading import MailContext
from shared.db.engine import session_scope
from shared.db.models import InboundMailRow
from shared.messaging.outbox import Publish, publish_pending

WAITING = ("failed", "dead")


def list_received(session: Session, *, failed: bool, limit: int) -> list[InboundMailRow]:
    """Received mails, newest first; only failed and dead ones with `failed`."""
    query = select(InboundMailRow).order_by(InboundMailRow.id.desc()).limit(limit)
    if failed:
        query = query.where(InboundMailRow.status.in_(WAITING))
    return list(session.scalars(query))


@dataclass(frozen=True)
class Reprocessed:
    inbound_id: int
    done: Ingested | None  # None: the mail was not failed or dead
    refusal: str = ""


def reprocess_waiting(
    sessions: sessionmaker[Session],
    publish: Publish,
    *,
    ids: list[int],
    context: MailContext,
    max_attempts: int,
) -> Iterator[Reprocessed]:
    """Each mail again from its stored bytes, one transaction each (without ids: every
    failed and dead one); the events they made are published at the end when the broker
    answers, else by the relay."""
    if not ids:
        with sessions() as session:
            ids = list(
                session.scalars(
                    select(InboundMailRow.id)
                    .where(InboundMailRow.status.in_(WAITING))
                    .order_by(InboundMailRow.id)
                )
            )
    events: list[int] = []
    for inbound_id in ids:
        try:
            with session_scope(sessions) as session:
                done = reprocess_mail(
                    session, inbound_id=inbound_id, context=context, max_attempts=max_attempts
                )
        except LookupError as exc:
            yield Reprocessed(inbound_id, None, str(exc))
            continue
        report(done)
        events += done.outbox_ids
        yield Reprocessed(inbound_id, done)
    if events:
        publish_pending(sessions, publish, ids=events)
