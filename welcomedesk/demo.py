"""The first look on the embedded default: the demo directory and one account per demo
manager plus an administrator, made once, never in a database of the user's own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.accounts import add_staff
from shared.db.models import ManagerRow, MetaRow, SiteRow, StaffRow
from shared.directory import DEMO_DIRECTORY, load_directory
from shared.directory.store import import_directory
from shared.region import load_region

DEMO_KEY = "demo"  # meta row: what the embedded run made itself
ADMIN = "admin@example.org"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    name: str
    password: str


def load_demo_directory(session: Session) -> bool:
    """Loads the demo directory into an empty database; returns whether it did."""
    if session.scalar(select(SiteRow.code).limit(1)) is not None:
        return False
    region = load_region()
    import_directory(session, load_directory(DEMO_DIRECTORY, districts=region.districts))
    session.add(MetaRow(key=DEMO_KEY, value="directory"))
    return True


def make_demo_accounts(session: Session) -> list[DemoAccount]:
    """Accounts for the demo directory's managers and an administrator, once: only in a
    database whose directory the demo loaded, and that has no account yet."""
    marker = session.get(MetaRow, DEMO_KEY)
    if marker is None or marker.value != "directory":
        return []
    if session.scalar(select(StaffRow.id).limit(1)) is not None:
        return []
    made = [_account(session, ADMIN, "admin", None, "Administrator")]
    for manager in session.scalars(select(ManagerRow).order_by(ManagerRow.id)):
        made.append(_account(session, manager.email, "manager", manager.id, manager.name))
    marker.value = "accounts"
    return made


def _account(
    session: Session, email: str, role: str, manager_id: str | None, name: str
) -> DemoAccount:
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    add_staff(session, email=email, role=role, manager_id=manager_id, password=password)
    return DemoAccount(email, role, name, password)


def write_accounts(path: Path, accounts: list[DemoAccount], sign_in_url: str) -> None:
    lines = [f"Demo accounts of the desk at {sign_in_url}", ""]
    lines += [f"{a.email}\t{a.password}\t{a.role}\t{a.name}" for a in accounts]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
