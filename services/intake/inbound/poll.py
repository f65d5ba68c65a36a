"""One round over one mailbox: every waiting message stored and acted on, then put away.

A message leaves the mailbox only after its outcome is committed; one that failed
stays for the next round, and one that cannot even be stored is skipped, never
blocking those after it. Crashing anywhere loses nothing: the next round finds
the message again, and the stored identity makes a second pass a duplicate.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Protocol

import structlog
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound import store
from services.intake.inbound.service import Ingested, ingest_mail
from services.intake.mail.reading import MailContext
from shared.db.engine import session_scope
from shared.metrics import INBOUND_MAILS

log = structlog.get_logger(__name__)


class Mailbox(Protocol):
    def pending(self) -> list[str]: ...

    def fetch(self, uid: str) -> bytes | None: ...

    def settle(self, uid: str, *, dead: bool) -> None: ...


def _lease(sessions: sessionmaker[Session], source: str, owner: str, seconds: float) -> bool:
    with session_scope(sessions) as session:
        return store.take_lease(session, source=source, owner=owner, seconds=seconds)


def poll_mailbox(
    sessions: sessionmaker[Session],
    mailbox: Mailbox,
    *,
    source: str,
    context: MailContext,
    max_attempts: int,
    owner: str,
    lease_seconds: float,
) -> Counter[str] | None:
    """Counts of what happened; None when another poller has this mailbox just now."""
    if not _lease(sessions, source, owner, lease_seconds):
        return None
    counts: Counter[str] = Counter()
    try:
        for uid in mailbox.pending():
            counts[_one(sessions, mailbox, uid, source, context, max_attempts)] += 1
            # Renewed message by message: a long round keeps its mailbox, a dead one frees it.
            if not _lease(sessions, source, owner, lease_seconds):
                log.warning("mailbox_lease_lost", source_kind="imap")
                break
    finally:
        with session_scope(sessions) as session:
            store.give_up_lease(session, source=source, owner=owner)
    return counts


def _one(
    sessions: sessionmaker[Session],
    mailbox: Mailbox,
    uid: str,
    source: str,
    context: MailContext,
    max_attempts: int,
) -> str:
    # One correlation id from the mailbox to the mails the case causes, as for a request.
    correlation_id = uuid.uuid4().hex
    structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
    try:
        raw = mailbox.fetch(uid)
        if raw is None:
            return "gone"
        with session_scope(sessions) as session:
            done = ingest_mail(
                session,
                raw=raw,
                source=source,
                context=context,
                correlation_id=correlation_id,
                max_attempts=max_attempts,
            )
        if done.settled:
            mailbox.settle(uid, dead=done.status == "dead")
    except Exception as exc:
        # Deliberately broad: whatever went wrong with this one message (the database
        # away, the server refusing a move), it stays in the mailbox for the next round
        # and the messages after it are still handled.
        log.warning("inbound_mail_left", uid=uid, error=type(exc).__name__)
        return "left"
    report(done)
    return done.outcome if done.status != "dead" else "dead"


def report(done: Ingested) -> None:
    """One log line per mail, ids and kinds only: never an address, a subject or text."""
    INBOUND_MAILS.labels(outcome=done.outcome).inc()
    fields = {
        "inbound_id": done.inbound_id,
        "outcome": done.outcome,
        "kind": done.kind,
        "reference": done.reference,
        "attempts": done.attempts,
    }
    if done.status == "dead":
        log.error("inbound_mail_dead", **fields)
    elif done.status == "failed":
        log.warning("inbound_mail_failed", **fields)
    else:
        log.info("inbound_mail", **fields)
