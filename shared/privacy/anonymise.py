"""Clearing personal columns in place, as shared.privacy.columns says: the statements are
built from that list, so a column added there is cleared everywhere at once.

Rows keep their ids, codes and dates, so that foreign keys and the statistics stay; only
the rows of `idempotency_keys` go. Each function runs in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    CursorResult,
    String,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    null,
    or_,
    update,
)

from shared.db.models import Base
from shared.privacy.columns import CASE_LINK, PERSONAL, Clear

ERASURE: Final = "erasure"
RETENTION: Final = "retention"
UNSENT: Final = ("pending", "failed", "dead")  # a mail of a cleared case must never go out


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def _value(target: Table, how: Clear) -> Any:
    if how is Clear.NULL:
        return null()
    if how is Clear.EMPTY:
        return ""
    if how is Clear.NO_BYTES:
        return b""
    if how is Clear.EMPTY_LIST:
        return []
    if how is Clear.EMPTY_OBJECT:
        return {}
    if how is Clear.ERASED_ID:
        return literal("erased:", String) + cast(target.c.id, String)
    raise ValueError(f"{how} is not a value")


def cleared(name: str) -> dict[str, Any]:
    """The SET clause that clears every personal column of the table."""
    target = table(name)
    return {column: _value(target, how) for column, how in PERSONAL[name].items()}


def _count(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _not_yet_cleared(name: str) -> ColumnElement[bool] | None:
    """Rows with something left to clear, where SQL can tell (JSON has no equality in
    PostgreSQL): a case's many history entries without text are not written again."""
    target, tests = table(name), list[ColumnElement[bool]]()
    for column, how in PERSONAL[name].items():
        if how is Clear.NULL:
            tests.append(target.c[column].is_not(None))
        elif how is Clear.EMPTY:
            tests.append(target.c[column] != "")
        else:
            return None
    return or_(*tests)


def clear_rows(connection: Connection, name: str, where: ColumnElement[bool], **also: Any) -> int:
    """Clears the personal columns of the table's rows that `where` selects (and sets
    `also`, which then must be written to every row)."""
    dirty = None if also else _not_yet_cleared(name)
    chosen = where if dirty is None else and_(where, dirty)
    statement = update(table(name)).where(chosen).values({**cleared(name), **also})
    return _count(connection.execute(statement))


def _mail_gone(at: dt.datetime) -> dict[str, Any]:
    """A received mail without its bytes: when they went, and never tried again."""
    mails = table("inbound_mails")
    return {
        "raw_deleted_at": func.coalesce(mails.c.raw_deleted_at, at),
        "status": case((mails.c.status == "failed", "dead"), else_=mails.c.status),
    }


def anonymise_cases(
    connection: Connection, *, enquiry_ids: Sequence[int], why: str, at: dt.datetime
) -> dict[str, int]:
    """Clears the cases and everything on them; returns the rows touched per table."""
    if not enquiry_ids:
        return {}
    ids: BindParameter[list[int]] = bindparam("ids", list(enquiry_ids), expanding=True)
    counts: dict[str, int] = {}
    status = table("deliveries").c.status
    never_sent = {"status": case((status.in_(UNSENT), "suppressed"), else_=status)}
    for name, link in CASE_LINK.items():
        target = table(name)
        where: ColumnElement[bool] = target.c[link].in_(ids)
        if name == "enquiries":
            where = where & target.c.anonymised_at.is_(None)
            counts[name] = clear_rows(connection, name, where, anonymised_at=at, anonymised_why=why)
        elif set(PERSONAL[name].values()) == {Clear.ROW_DELETED}:
            counts[name] = _count(connection.execute(delete(target).where(where)))
        elif name == "inbound_mails":
            counts[name] = clear_rows(connection, name, where, **_mail_gone(at))
        elif name == "deliveries":
            counts[name] = clear_rows(connection, name, where, **never_sent)
        else:
            counts[name] = clear_rows(connection, name, where)
    return counts


def clear_mails(connection: Connection, *, inbound_ids: Sequence[int], at: dt.datetime) -> int:
    """Received mails on no case of the person (a dead letter, their mail on another's
    case): the mails, the thread messages made of them and their files."""
    if not inbound_ids:
        return 0
    ids: BindParameter[list[int]] = bindparam("ids", list(inbound_ids), expanding=True)
    clear_rows(connection, "case_messages", table("case_messages").c.inbound_mail_id.in_(ids))
    clear_rows(connection, "attachments", table("attachments").c.inbound_mail_id.in_(ids))
    where = table("inbound_mails").c.id.in_(ids)
    return clear_rows(connection, "inbound_mails", where, **_mail_gone(at))
