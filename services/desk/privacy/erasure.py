"""Erasing one person's data (GDPR Art. 17): `welcomedesk privacy erase` and the
administrators' page, one use case in the caller's transaction.

Their cases are anonymised in place (shared.privacy.anonymise): every personal column
cleared, the rows with their ids, codes and dates kept, so that the statistics and the
foreign keys stay. Their mails on others' cases and on no case go too, and their address
leaves the bounce list. An open case stays open, empty, for its manager to close with an
outcome. The audit log records that it happened and why, as codes: never whose data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from services.desk.privacy.find import Found, Person, find_person
from services.desk.privacy.reasons import REASONS
from shared.db.models import (
    AttachmentRow,
    CaseHistoryRow,
    CaseMessageRow,
    DeliveryRow,
    IdempotencyRow,
    InboundMailRow,
    SuppressedAddressRow,
    utcnow,
)
from shared.privacy import audit
from shared.privacy.anonymise import ERASURE, anonymise_cases, clear_mails, clear_rows


class UnknownReasonError(ValueError):
    """The reason is not one of REASONS."""


@dataclass(frozen=True)
class Erasure:
    references: list[str]  # the cases anonymised
    counts: dict[str, int]  # what was (or, in a dry run, would be) cleared
    elsewhere: list[str]  # their phone number on others' cases: left alone
    dry_run: bool

    @property
    def nothing_held(self) -> bool:
        return not any(self.counts.values())


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).where(where)) or 0)


def _counts(session: Session, found: Found) -> dict[str, int]:
    ids, mails = found.case_ids, found.mails
    return {
        "cases": len(ids),
        "messages": _count(
            session,
            CaseMessageRow.enquiry_id.in_(ids)
            | CaseMessageRow.id.in_(found.messages)
            | CaseMessageRow.inbound_mail_id.in_(mails),
        ),
        "received_mails": _count(
            session, InboundMailRow.enquiry_id.in_(ids) | InboundMailRow.id.in_(mails)
        ),
        "attachments": _count(
            session, AttachmentRow.enquiry_id.in_(ids) | AttachmentRow.inbound_mail_id.in_(mails)
        ),
        "mails_sent": _count(session, DeliveryRow.enquiry_id.in_(ids)),
        "history_texts": _count(
            session, CaseHistoryRow.enquiry_id.in_(ids) & CaseHistoryRow.text.is_not(None)
        ),
        "idempotency_keys": _count(session, IdempotencyRow.enquiry_id.in_(ids)),
        "suppressed_addresses": len(found.suppressed),
    }


def preview(session: Session, *, person: Person) -> Erasure:
    """What an erasure would clear, changing nothing."""
    found = find_person(session, person)
    return Erasure([r for _, r in found.cases], _counts(session, found), found.elsewhere, True)


def erase_person(
    session: Session,
    *,
    person: Person,
    reason: str,
    actor: audit.Actor,
    dry_run: bool = False,
    at: dt.datetime | None = None,
) -> Erasure:
    if reason not in REASONS:
        raise UnknownReasonError(f"reason: one of {', '.join(REASONS)}")
    found = find_person(session, person, lock=not dry_run)
    counts = _counts(session, found)
    erasure = Erasure([r for _, r in found.cases], counts, found.elsewhere, dry_run)
    if dry_run or found.empty:
        return erasure
    moment = at or utcnow()
    connection = session.connection()
    anonymise_cases(connection, enquiry_ids=found.case_ids, why=ERASURE, at=moment)
    clear_mails(connection, inbound_ids=found.mails, at=moment)
    clear_rows(connection, "case_messages", CaseMessageRow.id.in_(found.messages))
    connection.execute(
        delete(SuppressedAddressRow).where(SuppressedAddressRow.address.in_(found.suppressed))
    )
    audit.record_many(
        connection,
        action="case_erased",
        actor=actor,
        enquiry_ids=found.case_ids,
        details={"reason": reason},
    )
    audit.record(connection, action="erasure", actor=actor, details={"reason": reason, **counts})
    return erasure
