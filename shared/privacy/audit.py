"""The audit log: who read or changed which case, whose data was exported or erased, who
signed in. Append-only, one row per event, ids and codes only.

`details` is checked on the way in: numbers, booleans and short codes (letters, digits,
`_.:-`), or lists of them. A name, an address or a sentence cannot pass, so nothing a
person wrote can reach the log, whoever calls it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any, Final, cast

from sqlalchemy import Connection, CursorResult, Table, delete, insert, literal, select

from shared.db.models import AuditRow, EnquiryRow, StaffRow, utcnow

ACTIONS: Final = frozenset(
    {
        "case_read",
        "attachment_read",
        "case_changed",
        "sign_in",
        "sign_in_failed",
        "second_factor_failed",
        "export",
        "case_exported",
        "erasure",
        "case_erased",
        "retention",
        "directory_changed",
        "reply_template_changed",
        "staff_account_changed",
    }
)
ACTORS: Final = frozenset({"staff", "token", "cli", "system"})
VIA: Final = frozenset({"page", "api", "cli", "beat"})
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{0,64}$")
MAX_LIST = 10_000

_AUDIT = cast(Table, AuditRow.__table__)
_INSERT = insert(_AUDIT)


class NotACodeError(ValueError):
    """A value for the audit log that is not an id or a code."""


@dataclass(frozen=True)
class Actor:
    kind: str  # staff, token, cli, system
    via: str  # page, api, cli, beat
    staff_id: int | None = None
    manager_id: str | None = None


CLI: Final = Actor("cli", "cli")
SYSTEM: Final = Actor("system", "beat")


def _checked_value(key: str, value: object) -> object:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str) and _CODE.match(value):
        return value
    if isinstance(value, list | tuple) and len(value) <= MAX_LIST:
        return [_checked_value(key, item) for item in value]
    raise NotACodeError(f"audit detail {key!r}: only ids and codes are kept")


def checked(details: dict[str, Any] | None) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in (details or {}).items():
        if not _CODE.match(key):
            raise NotACodeError("audit detail names are codes")
        kept[key] = _checked_value(key, value)
    return kept


def _values(
    action: str, actor: Actor, details: dict[str, Any] | None, at: dt.datetime | None
) -> dict[str, Any]:
    if action not in ACTIONS or actor.kind not in ACTORS or actor.via not in VIA:
        raise NotACodeError(f"unknown audit action or actor: {action}, {actor.kind}, {actor.via}")
    return {
        "at": at or utcnow(),
        "action": action,
        "actor": actor.kind,
        "staff_id": actor.staff_id,
        "manager_id": actor.manager_id,
        "via": actor.via,
        "details": checked(details),
    }


def record(
    connection: Connection,
    *,
    action: str,
    actor: Actor,
    enquiry_id: int | None = None,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """One entry, in the caller's transaction."""
    values = _values(action, actor, details, at)
    connection.execute(_INSERT, {**values, "enquiry_id": enquiry_id})


def record_many(
    connection: Connection,
    *,
    action: str,
    actor: Actor,
    enquiry_ids: list[int],
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """One entry per case, in one statement."""
    if enquiry_ids:
        values = _values(action, actor, details, at)
        connection.execute(_INSERT, [{**values, "enquiry_id": i} for i in enquiry_ids])


def record_for_reference(
    connection: Connection,
    *,
    action: str,
    actor: Actor,
    reference: str,
    details: dict[str, Any] | None = None,
) -> None:
    """One entry about the case with this reference, its id looked up by the same statement
    (a read needs no second round trip for it)."""
    values = _values(action, actor, details, None)
    columns = [*values, "enquiry_id"]
    chosen = select(*(literal(values[c], _AUDIT.c[c].type) for c in values), EnquiryRow.id).where(
        EnquiryRow.reference == reference
    )
    connection.execute(insert(_AUDIT).from_select(columns, chosen))


def prune(connection: Connection, *, before: dt.datetime) -> int:
    """Deletes the entries older than `before` (the audit log's own retention)."""
    result = connection.execute(delete(_AUDIT).where(_AUDIT.c.at < before))
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    action: str
    actor: str
    via: str
    staff: str | None  # the account's e-mail, for administrators reading the log
    manager_id: str | None
    reference: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Query:
    enquiry_id: int | None = None
    staff_id: int | None = None
    since: dt.datetime | None = None
    limit: int = 200
    offset: int = 0


class NoSuchFilterError(LookupError):
    """A filter names no case or no staff account; `args[0]` says which."""


def query_for(
    connection: Connection,
    *,
    reference: str | None = None,
    staff_email: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> Query:
    """The query for a case's reference and a staff account's address, as people type them."""
    query = Query(since=since, limit=limit, offset=offset)
    if reference and reference.strip():
        wanted = reference.strip().upper()[:32]
        found = connection.scalar(select(EnquiryRow.id).where(EnquiryRow.reference == wanted))
        if found is None:
            raise NoSuchFilterError("case")
        query = replace(query, enquiry_id=found)
    if staff_email and staff_email.strip():
        address = staff_email.strip().lower()[:254]
        found = connection.scalar(select(StaffRow.id).where(StaffRow.email == address))
        if found is None:
            raise NoSuchFilterError("staff")
        query = replace(query, staff_id=found)
    return query


def read(connection: Connection, query: Query) -> list[Entry]:
    """Entries newest first, with the account's e-mail and the case's reference."""
    statement = (
        select(_AUDIT, StaffRow.email, EnquiryRow.reference)
        .outerjoin(StaffRow, StaffRow.id == _AUDIT.c.staff_id)
        .outerjoin(EnquiryRow, EnquiryRow.id == _AUDIT.c.enquiry_id)
        .order_by(_AUDIT.c.at.desc(), _AUDIT.c.id.desc())
        .limit(query.limit)
        .offset(query.offset)
    )
    if query.enquiry_id is not None:
        statement = statement.where(_AUDIT.c.enquiry_id == query.enquiry_id)
    if query.staff_id is not None:
        statement = statement.where(_AUDIT.c.staff_id == query.staff_id)
    if query.since is not None:
        statement = statement.where(_AUDIT.c.at >= query.since)
    return [
        Entry(
            at=row.at,
            action=row.action,
            actor=row.actor,
            via=row.via,
            staff=row.email,
            manager_id=row.manager_id,
            reference=row.reference,
            details=dict(row.details or {}),
        )
        for row in connection.execute(statement)
    ]
