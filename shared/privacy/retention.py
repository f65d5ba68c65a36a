"""Retention: what is kept for how long, swept daily by beat and by
`welcomedesk privacy retention`.

- A closed case is anonymised `case_days` after it was closed (its codes and dates stay
  for the statistics).
- Received mails' bytes and every attachment's bytes go after `raw_days`, on open cases
  too; a received mail on no case (a dead letter, an ignored mail) loses everything that
  could name its sender then, as nothing else will ever clear it.
- A hard bounce stops confirmations to the address for `case_days`.
- The audit log keeps `audit_days`.

Running it twice for one moment does nothing the second time. Cases are anonymised in
batches, each its own transaction, so that a large backlog never holds long locks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, CursorResult, case, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import checkpoint
from shared.db.models import utcnow
from shared.privacy import audit
from shared.privacy.anonymise import RETENTION, anonymise_cases, clear_rows, table

BATCH: Final = 2000
RAW_DELETED: Final = "deleted after the retention period"


@dataclass(frozen=True)
class RetentionPolicy:
    case_days: int
    raw_days: int
    audit_days: int


@dataclass
class RetentionReport:
    at: dt.datetime
    dry_run: bool
    cases: list[str] = field(default_factory=list)  # references anonymised
    raw_mails: int = 0
    unlinked_mails: int = 0
    attachments: int = 0
    suppressed_addresses: int = 0
    audit_entries: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "cases": len(self.cases),
            "raw_mails": self.raw_mails,
            "unlinked_mails": self.unlinked_mails,
            "attachments": self.attachments,
            "suppressed_addresses": self.suppressed_addresses,
            "audit_entries": self.audit_entries,
        }


def _count(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _due(before: dt.datetime) -> ColumnElement[bool]:
    enquiries = table("enquiries")
    return (
        (enquiries.c.status == "closed")
        & (enquiries.c.closed_at < before)
        & enquiries.c.anonymised_at.is_(None)
    )


def due_cases(session: Session, *, before: dt.datetime) -> list[tuple[int, str]]:
    enquiries = table("enquiries")
    query = select(enquiries.c.id, enquiries.c.reference).where(_due(before))
    return [(int(row.id), str(row.reference)) for row in session.execute(query.order_by("id"))]


def _still_due(session: Session, ids: list[int], before: dt.datetime) -> list[int]:
    """The batch's cases that are due still, held until commit: a case reopened since it
    was listed (its enquirer wrote again) is left alone."""
    enquiries = table("enquiries")
    query = select(enquiries.c.id).where(enquiries.c.id.in_(ids), _due(before))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return [int(i) for i in session.scalars(query)]


def _raw_conditions(before: dt.datetime) -> dict[str, tuple[str, ColumnElement[bool]]]:
    """What the raw retention touches, by the report's names: (table, rows)."""
    mails, files = table("inbound_mails"), table("attachments")
    old_mail = mails.c.received_at < before
    return {
        "unlinked_mails": (
            "inbound_mails",
            old_mail & mails.c.enquiry_id.is_(None) & mails.c.dedup_key.not_like("erased:%"),
        ),
        "raw_mails": (
            "inbound_mails",
            old_mail & mails.c.enquiry_id.is_not(None) & mails.c.raw_deleted_at.is_(None),
        ),
        "attachments": ("attachments", files.c.data.is_not(None) & (files.c.created_at < before)),
    }


def _count_where(session: Session, name: str, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(table(name)).where(where)) or 0)


def _dead_if_failed() -> Any:
    """A failed mail without its bytes cannot be tried again."""
    status = table("inbound_mails").c.status
    return case((status == "failed", "dead"), else_=status)


def _delete_raw(connection: Connection, before: dt.datetime, at: dt.datetime) -> dict[str, int]:
    when = _raw_conditions(before)
    mails, files = table("inbound_mails"), table("attachments")
    gone = {
        "raw_deleted_at": func.coalesce(mails.c.raw_deleted_at, at),
        "status": _dead_if_failed(),
    }
    done = {
        "unlinked_mails": clear_rows(connection, "inbound_mails", when["unlinked_mails"][1], **gone)
    }
    raw = update(mails).where(when["raw_mails"][1]).values(raw=b"", **gone)
    done["raw_mails"] = _count(connection.execute(raw))
    kept = update(files).where(when["attachments"][1]).values(data=None)
    done["attachments"] = _count(connection.execute(kept))
    return done


def run_retention(
    sessions: sessionmaker[Session],
    *,
    policy: RetentionPolicy,
    at: dt.datetime,
    dry_run: bool = False,
    actor: audit.Actor = audit.SYSTEM,
) -> RetentionReport:
    report = RetentionReport(at=at, dry_run=dry_run)
    case_before = at - dt.timedelta(days=policy.case_days)
    raw_before = at - dt.timedelta(days=policy.raw_days)
    audit_before = at - dt.timedelta(days=policy.audit_days)
    suppressed = table("suppressed_addresses")
    old_bounce = suppressed.c.created_at < case_before
    with sessions() as session:
        due = due_cases(session, before=case_before)
        report.cases = [reference for _, reference in due]
        if dry_run:
            for name, (target, where) in _raw_conditions(raw_before).items():
                setattr(report, name, _count_where(session, target, where))
            report.suppressed_addresses = _count_where(session, "suppressed_addresses", old_bounce)
            old_entries = table("audit_log").c.at < audit_before
            report.audit_entries = _count_where(session, "audit_log", old_entries)
            return report
    # `at` says what is due; the moment things are done is now, even for a sweep "as if".
    now = utcnow()
    ids, done = [enquiry_id for enquiry_id, _ in due], set[int]()
    for start in range(0, len(ids), BATCH):
        with sessions.begin() as session:
            batch = _still_due(session, ids[start : start + BATCH], case_before)
            anonymise_cases(session.connection(), enquiry_ids=batch, why=RETENTION, at=now)
            done.update(batch)
    report.cases = [reference for enquiry_id, reference in due if enquiry_id in done]
    with sessions.begin() as session:
        connection = session.connection()
        for name, count in _delete_raw(connection, raw_before, now).items():
            setattr(report, name, count)
        bounces = connection.execute(delete(suppressed).where(old_bounce))
        report.suppressed_addresses = _count(bounces)
        report.audit_entries = audit.prune(connection, before=audit_before)
        counts = {k: v for k, v in report.summary().items() if k not in ("at", "dry_run")}
        audit.record(connection, action="retention", actor=actor, details=counts)
    checkpoint(sessions.kw["bind"])
    return report
