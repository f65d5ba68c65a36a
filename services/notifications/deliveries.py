"""Delivery rows read and written with compiled Core statements: the notifications
worker's hot path, a fraction of the ORM's cost per mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from shared.db.models import DeliveryRow, utcnow

_TABLE = cast(Table, DeliveryRow.__table__)
_COLUMNS = (
    _TABLE.c.id,
    _TABLE.c.enquiry_id,
    _TABLE.c.kind,
    _TABLE.c.recipient,
    _TABLE.c.recipient_name,
    _TABLE.c.partner_id,
    _TABLE.c.status,
    _TABLE.c.message_id,
    _TABLE.c.attempts,
)
_BY_ID = select(*_COLUMNS).where(_TABLE.c.id == bindparam("key"))
_OF_ENQUIRY = select(*_COLUMNS).where(_TABLE.c.enquiry_id == bindparam("key")).order_by(_TABLE.c.id)
_INSERT = insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True)
_UPDATE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("key"))
    .values(
        status=bindparam("status"),
        attempts=bindparam("attempts"),
        message_id=bindparam("message_id"),
        last_error=bindparam("last_error"),
        sent_at=bindparam("sent_at"),
    )
)

UNSENT = ("pending", "failed")


@dataclass
class Delivery:
    """One mail to one recipient, as the worker holds it between read and write."""

    id: int
    enquiry_id: int
    kind: str
    recipient: str
    recipient_name: str | None
    partner_id: str | None
    status: str
    message_id: str | None
    attempts: int

    @property
    def unsent(self) -> bool:
        return self.status in UNSENT


def _delivery(row: Any) -> Delivery:
    return Delivery(*row)


def load_delivery(session: Session, delivery_id: int) -> Delivery | None:
    row = session.connection().execute(_BY_ID, {"key": delivery_id}).first()
    return None if row is None else _delivery(row)


def deliveries_of(session: Session, enquiry_id: int) -> list[Delivery]:
    rows = session.connection().execute(_OF_ENQUIRY, {"key": enquiry_id})
    return [_delivery(row) for row in rows]


def add_deliveries(session: Session, new: Sequence[Delivery]) -> None:
    """Inserts the deliveries (one statement) and sets their ids."""
    if not new:
        return
    now = utcnow()
    values = [
        {
            "enquiry_id": d.enquiry_id,
            "kind": d.kind,
            "recipient": d.recipient,
            "recipient_name": d.recipient_name,
            "partner_id": d.partner_id,
            "status": d.status,
            "message_id": d.message_id,
            "attempts": d.attempts,
            "created_at": now,
        }
        for d in new
    ]
    ids = session.connection().execute(_INSERT, values).scalars().all()
    for delivery, new_id in zip(new, ids, strict=True):
        delivery.id = int(new_id)


def save(
    session: Session,
    delivery: Delivery,
    *,
    last_error: str | None = None,
    sent_at: dt.datetime | None = None,
) -> None:
    """Writes the delivery's status, attempts and Message-ID (and the error or send time)."""
    session.connection().execute(
        _UPDATE,
        {
            "key": delivery.id,
            "status": delivery.status,
            "attempts": delivery.attempts,
            "message_id": delivery.message_id,
            "last_error": last_error,
            "sent_at": sent_at,
        },
    )
