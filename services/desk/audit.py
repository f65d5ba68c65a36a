"""The desk's entries in the audit log: one per case read, change, download and sign-in,
written in the request's own transaction (shared.privacy.audit keeps them to codes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.accounts import AccountError, normalise_email
from services.desk.deps import CurrentStaff
from services.desk.staff import Staff
from shared.db.models import StaffRow
from shared.privacy import audit


def actor(staff: Staff, *, via: str, token: bool = False) -> audit.Actor:
    return audit.Actor("token" if token else "staff", via, staff.id, staff.manager_id)


def api_actor(request: Request, staff: CurrentStaff) -> audit.Actor:
    """The API's caller as the log names it: a manager's token, or a signed-in browser."""
    return actor(staff, via="api", token="authorization" in request.headers)


ApiActor = Annotated[audit.Actor, Depends(api_actor)]


def read(session: Session, who: audit.Actor, reference: str) -> None:
    """A case was shown: one entry, committed at once (a read has nothing else to commit)."""
    audit.record_for_reference(
        session.connection(), action="case_read", actor=who, reference=reference
    )
    session.commit()


def _entry(
    session: Session, who: audit.Actor, action: str, enquiry_id: int, **details: object
) -> None:
    connection = session.connection()
    audit.record(connection, action=action, actor=who, enquiry_id=enquiry_id, details=details)


def changed(session: Session, who: audit.Actor, enquiry_id: int, done: str) -> None:
    """A change, in the change's own transaction."""
    _entry(session, who, "case_changed", enquiry_id, done=done)


def downloaded(session: Session, who: audit.Actor, enquiry_id: int, attachment_id: int) -> None:
    """A file of a case was downloaded: a read of the case, committed at once."""
    _entry(session, who, "attachment_read", enquiry_id, attachment=attachment_id)
    session.commit()


def account_id(session: Session, email: str) -> int | None:
    """The account a failed sign-in named, if there is one (the address typed is never
    kept: it may be anyone's, or a password typed in the wrong field)."""
    try:
        address = normalise_email(email)
    except AccountError:
        return None
    found = session.scalar(select(StaffRow.id).where(StaffRow.email == address))
    return int(found) if found is not None else None


def signed_in(session: Session, staff_id: int, *, second_factor: bool) -> None:
    audit.record(
        session.connection(),
        action="sign_in",
        actor=audit.Actor("staff", "page", staff_id),
        details={"second_factor": second_factor},
    )


def sign_in_failed(session: Session, *, staff_id: int | None, why: str) -> None:
    audit.record(
        session.connection(),
        action="second_factor_failed" if why == "wrong_code" else "sign_in_failed",
        actor=audit.Actor("staff", "page", staff_id),
        details={"why": why},
    )
    session.commit()


def admin_changed(session: Session, staff: Staff, action: str, **details: object) -> None:
    """An administrator's change of the directory, a reply template or an account, made on
    a page, in the change's own transaction: which entry and what was done, never what it
    now holds."""
    audit.record(
        session.connection(), action=action, actor=actor(staff, via="page"), details=details
    )
