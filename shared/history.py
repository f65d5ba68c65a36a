"""A case's history: one row per change (who, what, when), written in the change's transaction.

Every service that changes a case (routing, the mail intake, the desk) records it here;
`details` carries codes and ids only, and what a person typed goes to `text`.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, Table, insert

from shared.db.models import CaseHistoryRow, utcnow

_HISTORY = cast(Table, CaseHistoryRow.__table__)
_INSERT = insert(_HISTORY).returning(_HISTORY.c.id)  # compiled once

ROUTING = "routing"  # the actor of the routing service's changes
ESCALATION = "escalation"  # the actor of the office-hours timers (policy rule 8)
ENQUIRER = "enquirer"  # a change the enquirer's own mail caused


def record(
    connection: Connection,
    *,
    enquiry_id: int,
    actor: str,
    action: str,
    details: dict[str, Any] | None = None,
    text: str | None = None,
    at: Any = None,
) -> int:
    """Adds one entry to the caller's transaction and returns its id; never commits."""
    values = {
        "enquiry_id": enquiry_id,
        "at": at or utcnow(),
        "actor": actor[:254],
        "action": action,
        "details": details or {},
        "text": text,
    }
    return int(connection.execute(_INSERT, values).scalar_one())
