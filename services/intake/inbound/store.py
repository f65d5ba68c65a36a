"""Rows of the e-mail intake: received mails by identity, and a lease on each mailbox.

The lease is a row of `meta` taken by compare-and-set, so that it works alike on
PostgreSQL and on the embedded SQLite: two pollers of one mailbox (a second
worker, a poll that overran its interval) never handle the same message at once,
and a poller that died gives the mailbox up when its lease runs out.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer

from shared.db.models import InboundMailRow, MetaRow

MAX_SEEN = 20  # sources named on a mail seen again; the count goes on


def find_by_key(session: Session, dedup_key: str) -> InboundMailRow | None:
    """The row of a mail seen before, without its bytes (a copy seen again needs none)."""
    return session.scalar(
        select(InboundMailRow)
        .options(defer(InboundMailRow.raw))
        .where(InboundMailRow.dedup_key == dedup_key)
    )


def add_row(session: Session, row: InboundMailRow) -> InboundMailRow | None:
    """Inserts the row; None when another process stored the same mail a moment before."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def seen_again(row: InboundMailRow, source: str) -> None:
    row.duplicates += 1
    seen = list(row.notes.get("seen_again", []))
    if len(seen) < MAX_SEEN:
        row.notes = {**row.notes, "seen_again": [*seen, source]}


def failed_ids(
    session: Session, *, exclude_sources: set[str] | None = None, limit: int = 100
) -> list[int]:
    query = select(InboundMailRow.id).where(InboundMailRow.status == "failed")
    if exclude_sources:
        query = query.where(InboundMailRow.source.not_in(exclude_sources))
    return list(session.scalars(query.order_by(InboundMailRow.id).limit(limit)))


def _lock_key(source: str) -> str:
    return "mailbox-lock:" + hashlib.sha256(source.encode()).hexdigest()[:32]


def take_lease(session: Session, *, source: str, owner: str, seconds: float) -> bool:
    """Takes or renews the mailbox's lease; False while another poller holds it."""
    key, now = _lock_key(source), time.time()
    value = f"{now + seconds:.3f} {owner}"[:200]
    row = session.get(MetaRow, key)
    if row is None:
        try:
            with session.begin_nested():
                session.add(MetaRow(key=key, value=value))
        except IntegrityError:
            return False
        return True
    expires, _, holder = row.value.partition(" ")
    if holder != owner and float(expires or 0) > now:
        return False
    result = cast(
        CursorResult[Any],
        session.execute(
            update(MetaRow)
            .where(MetaRow.key == key, MetaRow.value == row.value)
            .values(value=value)
            .execution_options(synchronize_session=False)
        ),
    )
    session.expire(row)
    return result.rowcount == 1


def give_up_lease(session: Session, *, source: str, owner: str) -> None:
    row = session.get(MetaRow, _lock_key(source))
    if row is not None and row.value.partition(" ")[2] == owner:
        row.value = "0 -"
