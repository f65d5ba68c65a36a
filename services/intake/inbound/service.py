"""E-mail intake use cases: one received mail stored and acted on, in one transaction.

The bytes are written first, exactly as received; the mail is then read and acted
on inside a savepoint. Whatever fails there (a mail no code foresaw, a database
that refuses a value) rolls back only the savepoint: the bytes and the failure
are committed together, the mail is tried again on the next round, and after the
last attempt it is a dead letter for `welcomedesk mail reprocess`. A mail seen
before (its Message-ID, else its content) does nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy.orm import Session

from services.intake.inbound import store
from services.intake.inbound.cases import act
from services.intake.mail.identity import identify
from services.intake.mail.reading import MailContext, read_mail
from shared.db.models import InboundMailRow, utcnow

Outcome = Literal["created", "joined", "recorded", "ignored", "duplicate", "failed"]
Status = Literal["processed", "failed", "dead"]
MAX_ERROR = 2000


@dataclass(frozen=True)
class Ingested:
    inbound_id: int
    outcome: Outcome
    status: Status
    kind: str | None
    reference: str | None
    outbox_ids: tuple[int, ...] = ()
    attempts: int = 0

    @property
    def settled(self) -> bool:
        """Whether the mailbox's copy may go: handled, or kept as a dead letter."""
        return self.status != "failed"


def _answer(row: InboundMailRow, outcome: Outcome, ids: tuple[int, ...] = ()) -> Ingested:
    status = cast(Status, row.status)
    return Ingested(row.id, outcome, status, row.kind, row.reference, ids, row.attempts)


def ingest_mail(
    session: Session,
    *,
    raw: bytes,
    source: str,
    context: MailContext,
    correlation_id: str,
    max_attempts: int,
) -> Ingested:
    identity = identify(raw)
    earlier = store.find_by_key(session, identity.dedup_key)
    if earlier is None:
        row = InboundMailRow(
            source=source[:200],
            raw=raw,
            size=len(raw),
            sha256=identity.sha256,
            message_id=identity.message_id,
            dedup_key=identity.dedup_key,
            correlation_id=correlation_id[:64],
            status="failed",  # until the savepoint below says otherwise
            attempts=0,
            duplicates=0,
            notes={},
        )
        added = store.add_row(session, row)
        if added is not None:
            return _process(session, added, context=context, max_attempts=max_attempts)
        earlier = store.find_by_key(session, identity.dedup_key)
        assert earlier is not None  # the other process's row, committed
    if earlier.status == "failed":
        return _process(session, earlier, context=context, max_attempts=max_attempts)
    store.seen_again(earlier, source[:200])
    return _answer(earlier, "duplicate")


def reprocess_mail(
    session: Session, *, inbound_id: int, context: MailContext, max_attempts: int
) -> Ingested:
    """A failed or dead mail tried again from its stored bytes, its attempts counted anew."""
    row = session.get(InboundMailRow, inbound_id)
    if row is None or row.status not in ("failed", "dead"):
        raise LookupError(f"inbound mail {inbound_id} is not failed or dead")
    if row.raw_deleted_at is not None:
        raise LookupError(f"inbound mail {inbound_id}: its bytes were deleted (retention)")
    row.attempts = 0
    return _process(session, row, context=context, max_attempts=max_attempts)


def retry_mail(
    session: Session, *, inbound_id: int, context: MailContext, max_attempts: int
) -> Ingested | None:
    """Another attempt at a mail that failed; None when it no longer waits for one."""
    row = session.get(InboundMailRow, inbound_id)
    if row is None or row.status != "failed" or row.raw_deleted_at is not None:
        return None
    return _process(session, row, context=context, max_attempts=max_attempts)


def _process(
    session: Session, row: InboundMailRow, *, context: MailContext, max_attempts: int
) -> Ingested:
    row.attempts += 1
    try:
        with session.begin_nested():
            reading = read_mail(row.raw, context=context)
            acted = act(session, reading=reading, inbound=row)
    except Exception as exc:
        # Deliberately broad: this is the dead-letter boundary. The savepoint took back
        # whatever the mail had half done; the bytes stay, with what went wrong.
        error = getattr(exc, "orig", None) or exc
        row.last_error = f"{type(exc).__name__}: {error}"[:MAX_ERROR]
        row.status = "dead" if row.attempts >= max_attempts else "failed"
        session.flush()
        return _answer(row, "failed")
    row.kind, row.reference = reading.kind, acted.reference or reading.reference
    row.enquiry_id = acted.enquiry_id
    row.status, row.outcome = "processed", acted.outcome
    row.processed_at, row.last_error = utcnow(), None
    row.notes = {
        **row.notes,
        "reasons": list(reading.classification.reasons),
        "notes": [*reading.notes, *acted.notes],
    }
    session.flush()
    return _answer(row, acted.outcome, acted.outbox_ids)
