"""Staff accounts and manager API tokens: the administrators' use cases.

Called by `welcomedesk staff ...`/`token ...` and by the administrators' pages. Each
function works in the caller's transaction and never commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from services.desk.passwords import hash_password
from shared.db.models import (
    ApiTokenRow,
    ManagerRow,
    StaffLinkRow,
    StaffRow,
    StaffSessionRow,
    as_utc,
    utcnow,
)
from shared.tokens import new_token, token_digest
from shared.vocabulary import STAFF_ROLES


class AccountError(ValueError):
    """A request about accounts that cannot be done; names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def normalise_email(address: str) -> str:
    try:
        valid = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError("email", str(exc)) from exc
    return valid.normalized.lower()


@dataclass(frozen=True)
class NewAccount:
    staff: StaffRow
    link: str | None  # the one-time token to set a password; None when one was given


def add_staff(
    session: Session,
    *,
    email: str,
    role: str,
    manager_id: str | None = None,
    password: str | None = None,
    language: str = "de",
    link_hours: int = 24,
) -> NewAccount:
    address = normalise_email(email)
    if role not in STAFF_ROLES:
        raise AccountError("role", f"{role!r} is not a role (manager or admin)")
    if role == "manager" and not manager_id:
        raise AccountError("manager", "a manager's account names the directory's manager id")
    if manager_id is not None:
        if session.get(ManagerRow, manager_id) is None:
            raise AccountError("manager", f"no manager {manager_id!r} in the directory")
        taken = session.scalar(select(StaffRow.email).where(StaffRow.manager_id == manager_id))
        if taken is not None:
            raise AccountError("manager", f"manager {manager_id!r} has an account already")
    if session.scalar(select(StaffRow.id).where(StaffRow.email == address)) is not None:
        raise AccountError("email", f"{address} has an account already")
    try:
        hashed = hash_password(password) if password is not None else None
    except ValueError as exc:
        raise AccountError("password", str(exc)) from exc
    row = StaffRow(
        email=address,
        role=role,
        manager_id=manager_id,
        password_hash=hashed,
        language=language if language in ("de", "en") else "de",
        totp_enabled=False,
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    link = None if password is not None else issue_link(session, staff=row, hours=link_hours)
    return NewAccount(row, link)


def issue_link(session: Session, *, staff: StaffRow, hours: int) -> str:
    """A one-time token to set the password, valid `hours`; earlier unused ones lapse."""
    now = utcnow()
    session.execute(
        update(StaffLinkRow)
        .where(StaffLinkRow.staff_id == staff.id, StaffLinkRow.used_at.is_(None))
        .values(used_at=now)
    )
    token = new_token()
    session.add(
        StaffLinkRow(
            id=token_digest(token),
            staff_id=staff.id,
            purpose="password",
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def account_for_link(session: Session, token: str) -> StaffRow | None:
    """The active account a valid, unused, unexpired link is for."""
    if not token or len(token) > 200:
        return None
    link = session.get(StaffLinkRow, token_digest(token))
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= utcnow():
        return None
    staff = session.get(StaffRow, link.staff_id)
    return staff if staff is not None and staff.active else None


def set_password_by_link(session: Session, *, token: str, password: str) -> StaffRow:
    staff = account_for_link(session, token)
    if staff is None:
        raise AccountError("link", "this link is not valid any more; ask for a new one")
    try:
        staff.password_hash = hash_password(password)
    except ValueError as exc:
        raise AccountError("password", str(exc)) from exc
    session.execute(
        update(StaffLinkRow).where(StaffLinkRow.id == token_digest(token)).values(used_at=utcnow())
    )
    # A new password ends every session signed in with the old one.
    session.execute(delete(StaffSessionRow).where(StaffSessionRow.staff_id == staff.id))
    session.flush()
    return staff


def list_staff(session: Session) -> list[StaffRow]:
    return list(session.scalars(select(StaffRow).order_by(StaffRow.email)))


def find_staff(session: Session, email: str) -> StaffRow:
    staff = session.scalar(select(StaffRow).where(StaffRow.email == normalise_email(email)))
    if staff is None:
        raise AccountError("email", f"no account for {email.strip().lower()}")
    return staff


def disable_staff(session: Session, *, email: str) -> StaffRow:
    """The account can no longer sign in; its sessions end now."""
    staff = find_staff(session, email)
    staff.active = False
    session.execute(delete(StaffSessionRow).where(StaffSessionRow.staff_id == staff.id))
    session.flush()
    return staff


def create_api_token(session: Session, *, manager_id: str) -> str:
    """A new token for the manager; only its digest is stored, so it is shown once."""
    if session.get(ManagerRow, manager_id) is None:
        raise AccountError("manager", f"no manager {manager_id!r} in the directory")
    token = new_token()
    session.add(ApiTokenRow(manager_id=manager_id, token_hash=token_digest(token)))
    session.flush()
    return token


def list_api_tokens(session: Session, *, manager_id: str | None = None) -> list[ApiTokenRow]:
    query = select(ApiTokenRow).order_by(ApiTokenRow.id)
    if manager_id is not None:
        query = query.where(ApiTokenRow.manager_id == manager_id)
    return list(session.scalars(query))


def revoke_api_token(session: Session, *, token_id: int) -> ApiTokenRow:
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise AccountError("id", f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row
