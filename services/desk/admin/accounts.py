"""Staff accounts as administrators keep them in the desk: add one (with a one-time link
to set the password), disable one, change a role. The same use cases as `welcomedesk
staff ...`, with the rules of acting on others: nobody disables or demotes themselves,
so that the desk always keeps the administrator who is working in it."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.accounts import AccountError, NewAccount, add_staff, disable_staff
from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError, require_admin
from services.desk.staff import Staff
from shared.db.models import ManagerRow, StaffRow
from shared.vocabulary import STAFF_ROLES

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class AccountsView:
    accounts: list[StaffRow]
    managers: list[tuple[str, str]]  # (id, name) of every manager, for the forms
    without_account: set[str]  # managers nobody signs in as yet


def read_accounts(session: Session) -> AccountsView:
    accounts = list(session.scalars(select(StaffRow).order_by(StaffRow.email)))
    managers = [(m.id, m.name) for m in session.scalars(select(ManagerRow).order_by(ManagerRow.id))]
    linked = {a.manager_id for a in accounts if a.manager_id}
    return AccountsView(accounts, managers, {m for m, _ in managers} - linked)


def _manager_id(value: str | None) -> str | None:
    """The directory's manager an account names; one that cannot exist is refused before
    it is looked up."""
    if not value:
        return None
    if len(value) > 64 or any(unicodedata.category(c) == "Cc" for c in value):
        raise InvalidEntryError({"manager": "no such manager in the directory"})
    return value


def _account(session: Session, account_id: int) -> StaffRow:
    row = session.get(StaffRow, account_id)
    if row is None:
        raise EntryNotFoundError(f"no account {account_id}")
    return row


def add_account(
    session: Session,
    *,
    staff: Staff,
    email: str,
    role: str,
    manager_id: str | None,
    language: str,
    link_hours: int,
) -> NewAccount:
    """A new account without a password: its one-time link is returned, to show once."""
    require_admin(staff)
    try:
        made = add_staff(
            session,
            email=email,
            role=role,
            manager_id=_manager_id(manager_id),
            language=language,
            link_hours=link_hours,
        )
    except AccountError as exc:
        raise InvalidEntryError({exc.field: exc.message}) from exc
    log.info("staff_account_added", account_id=made.staff.id, role=role, staff_id=staff.id)
    return made


def disable_account(session: Session, *, staff: Staff, account_id: int) -> StaffRow:
    require_admin(staff)
    row = _account(session, account_id)
    if row.id == staff.id:
        raise InvalidEntryError({"account": "you cannot disable your own account"})
    disable_staff(session, email=row.email)
    log.info("staff_account_disabled", account_id=row.id, staff_id=staff.id)
    return row


def set_role(
    session: Session, *, staff: Staff, account_id: int, role: str, manager_id: str | None
) -> StaffRow:
    """An account's role, and the manager it is; a manager's account names one."""
    require_admin(staff)
    row = _account(session, account_id)
    manager_id = _manager_id(manager_id)
    if role not in STAFF_ROLES:
        raise InvalidEntryError({"role": f"{role[:20]!r} is not a role (manager or admin)"})
    if row.id == staff.id and role != "admin":
        raise InvalidEntryError({"role": "you cannot take the administrator's role from yourself"})
    if role == "manager" and manager_id is None:
        raise InvalidEntryError({"manager": "a manager's account names the directory's manager"})
    if manager_id is not None:
        if session.get(ManagerRow, manager_id) is None:
            raise InvalidEntryError({"manager": f"no manager {manager_id[:64]!r} in the directory"})
        taken = session.scalar(
            select(StaffRow.email).where(StaffRow.manager_id == manager_id, StaffRow.id != row.id)
        )
        if taken is not None:
            raise InvalidEntryError({"manager": f"manager {manager_id!r} has an account already"})
    row.role, row.manager_id = role, manager_id
    session.flush()
    log.info("staff_role_changed", account_id=row.id, role=role, staff_id=staff.id)
    return row
