"""Writing a received enquiry and its `enquiry.received` event: the intake's hot path.

On PostgreSQL one statement does it all (the id from the sequence, the reference
made from it, the enquiry, the outbox event): one round trip per enquiry. Other
databases take three compiled Core statements. Both leave the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    JSON,
    Connection,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy import cast as sql_cast

from shared.db.models import EnquiryRow, OutboxRow
from shared.events import ROUTE_ENQUIRY, EnquiryReceived
from shared.messaging.outbox import insert_event

_ENQUIRIES = cast(Table, EnquiryRow.__table__)
_OUTBOX = cast(Table, OutboxRow.__table__)
# Column values a new case starts with (the ORM's defaults, spelled out for Core).
CASE_DEFAULTS: Mapping[str, Any] = {
    "status": "received",
    "version": 1,
    "topics": [],
    "needs_interpreter": False,
    "reasons": [],
    "excluded": [],
    "suggested_partners": [],
}


class Stored(NamedTuple):
    enquiry_id: int
    reference: str
    event_id: int


def format_reference(year: int, enquiry_id: int) -> str:
    return f"WC-{year}-{enquiry_id:06d}"


# Generic: insert, set the reference made from the id, add the event.
_INSERT_ENQUIRY = insert(_ENQUIRIES).returning(_ENQUIRIES.c.id)
_SET_REFERENCE = (
    update(_ENQUIRIES)
    .where(_ENQUIRIES.c.id == bindparam("key"))
    .values(reference=bindparam("reference"))
)


def _postgres_statement(columns: tuple[str, ...]) -> Any:
    """WITH n AS (nextval), e AS (INSERT enquiry ... RETURNING), o AS (INSERT outbox ...
    RETURNING) SELECT e.id, e.reference, o.id: typed binds, so every value is cast."""
    number = select(func.nextval(func.pg_get_serial_sequence("enquiries", "id")).label("id")).cte(
        "n"
    )
    digits = sql_cast(number.c.id, Text)
    reference = (
        literal("WC-", String)
        + bindparam("year", type_=String)
        + literal("-", String)
        + func.lpad(digits, func.greatest(6, func.length(digits)), "0")
    )
    values = [bindparam(name, type_=_ENQUIRIES.c[name].type) for name in columns]
    enquiry = (
        insert(_ENQUIRIES)
        .from_select(["id", "reference", *columns], select(number.c.id, reference, *values))
        .returning(_ENQUIRIES.c.id, _ENQUIRIES.c.reference)
        .cte("e")
    )
    payload = func.json_build_object(
        literal("correlation_id", String),
        bindparam("correlation_id", type_=String),
        literal("enquiry_id", String),
        enquiry.c.id,
        type_=JSON,
    )
    event = (
        insert(_OUTBOX)
        .from_select(
            ["task", "payload", "created_at", "attempts"],
            select(
                literal(ROUTE_ENQUIRY, String),
                payload,
                bindparam("received_at", type_=_OUTBOX.c.created_at.type),
                literal(0, Integer),
            ).select_from(enquiry),
        )
        .returning(_OUTBOX.c.id)
        .cte("o")
    )
    return select(enquiry.c.id, enquiry.c.reference, event.c.id.label("event_id")).select_from(
        enquiry.join(event, true())
    )


_POSTGRES: dict[tuple[str, ...], Any] = {}


def insert_received(connection: Connection, values: dict[str, Any]) -> Stored:
    """Writes the enquiry (`values`: its columns but id and reference) and its event,
    in the caller's transaction."""
    received_at = values["received_at"]
    if connection.dialect.name == "postgresql":
        columns = tuple(sorted(values))
        statement = _POSTGRES.get(columns)
        if statement is None:
            statement = _POSTGRES[columns] = _postgres_statement(columns)
        row = connection.execute(statement, {**values, "year": str(received_at.year)}).one()
        return Stored(int(row.id), str(row.reference), int(row.event_id))
    enquiry_id = int(connection.execute(_INSERT_ENQUIRY, values).scalar_one())
    reference = format_reference(received_at.year, enquiry_id)
    connection.execute(_SET_REFERENCE, {"key": enquiry_id, "reference": reference})
    event = EnquiryReceived(values["correlation_id"], enquiry_id=enquiry_id)
    return Stored(enquiry_id, reference, insert_event(connection, event))
