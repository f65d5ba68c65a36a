"""Dead letters: mails that failed for good, listed for an operator and sent again on request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.notifications.service import dead_letters, revive
from shared.db.engine import session_scope
from shared.db.models import DeliveryRow, EnquiryRow
from shared.events import MailRequested
from shared.messaging.outbox import Publish, add_event, publish_pending


@dataclass(frozen=True)
class DeadLetter:
    delivery_id: int
    reference: str
    kind: str
    attempts: int
    last_error: str


@dataclass(frozen=True)
class Resent:
    queued: int
    published: int  # at once; the relay publishes the rest


class NotDeadLettersError(LookupError):
    """Some ids name no dead letter: nothing was queued."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(", ".join(str(i) for i in ids))
        self.ids = ids


def list_dead_letters(session: Session) -> list[DeadLetter]:
    rows = session.execute(
        select(DeliveryRow, EnquiryRow.reference)
        .outerjoin(EnquiryRow, EnquiryRow.id == DeliveryRow.enquiry_id)
        .where(DeliveryRow.status == "dead")
        .order_by(DeliveryRow.id)
    )
    return [
        DeadLetter(row.id, reference or "?", row.kind, row.attempts, row.last_error or "")
        for row, reference in rows
    ]


def resend_dead_letters(
    sessions: sessionmaker[Session], publish: Publish, *, delivery_ids: list[int]
) -> Resent:
    """Puts the dead letters back to pending with a new request each, all or none, and
    publishes the requests at once when the broker answers."""
    event_ids = []
    with session_scope(sessions) as session:
        wanted = {d.id for d in dead_letters(session)}
        unknown = [i for i in delivery_ids if i not in wanted]
        if unknown:
            raise NotDeadLettersError(unknown)
        for delivery_id in delivery_ids:
            delivery = revive(session, delivery_id=delivery_id)
            enquiry = session.get(EnquiryRow, delivery.enquiry_id)
            correlation_id = enquiry.correlation_id if enquiry else ""
            event_ids.append(
                add_event(session, MailRequested(correlation_id, delivery_id=delivery.id))
            )
    published = publish_pending(sessions, publish, ids=event_ids)
    return Resent(queued=len(event_ids), published=published)
