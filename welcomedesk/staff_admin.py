"""Administrators' commands for staff accounts and manager API tokens."""

from __future__ import annotations

import sys

from sqlalchemy.orm import Session, sessionmaker

from services.desk.accounts import (
    AccountError,
    add_staff,
    create_api_token,
    disable_staff,
    list_api_tokens,
    list_staff,
    revoke_api_token,
)
from shared.db.engine import make_engine, session_factory, session_scope
from shared.settings import Settings


def _sessions(settings: Settings) -> sessionmaker[Session]:
    return session_factory(make_engine(settings.database_url))


def _refused(exc: AccountError) -> int:
    print(f"refused: {exc.field}: {exc.message}", file=sys.stderr)
    return 1


def staff_add(
    settings: Settings,
    email: str,
    *,
    role: str,
    manager_id: str | None,
    password: str | None,
    language: str,
) -> int:
    try:
        with session_scope(_sessions(settings)) as session:
            made = add_staff(
                session,
                email=email,
                role=role,
                manager_id=manager_id,
                password=password,
                language=language,
                link_hours=settings.staff_link_hours,
            )
            address = made.staff.email
    except AccountError as exc:
        return _refused(exc)
    if made.link is None:
        print(f"{address}: account made ({role}); sign in at {settings.base_url}/staff/sign-in")
    else:
        print(
            f"{address}: account made ({role}). One-time link to set the password, valid "
            f"{settings.staff_link_hours} h:"
        )
        print(f"{settings.base_url.rstrip('/')}/staff/password/{made.link}")
    return 0


def staff_list(settings: Settings) -> int:
    with _sessions(settings)() as session:
        for row in list_staff(session):
            state = "active" if row.active else "disabled"
            second = "2fa" if row.totp_enabled else "-"
            password = "password set" if row.password_hash else "no password yet"
            print(
                f"{row.email}\t{row.role}\t{row.manager_id or '-'}\t{state}\t{second}\t{password}"
            )
    return 0


def staff_disable(settings: Settings, email: str) -> int:
    try:
        with session_scope(_sessions(settings)) as session:
            row = disable_staff(session, email=email)
            address = row.email
    except AccountError as exc:
        return _refused(exc)
    print(f"{address}: disabled; its sessions have ended")
    return 0


def token_create(settings: Settings, manager_id: str) -> int:
    """A new API token for a manager; only its digest is stored, so it is shown once."""
    try:
        with session_scope(_sessions(settings)) as session:
            token = create_api_token(session, manager_id=manager_id)
    except AccountError as exc:
        return _refused(exc)
    print(token)
    return 0


def token_list(settings: Settings, manager_id: str | None) -> int:
    with _sessions(settings)() as session:
        for row in list_api_tokens(session, manager_id=manager_id):
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            used = f"{row.used_at:%Y-%m-%d %H:%M}" if row.used_at else "never used"
            print(f"{row.id}\t{row.manager_id}\t{row.created_at:%Y-%m-%d}\t{used}\t{state}")
    return 0


def token_revoke(settings: Settings, token_id: int) -> int:
    try:
        with session_scope(_sessions(settings)) as session:
            revoke_api_token(session, token_id=token_id)
    except AccountError as exc:
        return _refused(exc)
    print(f"token {token_id} revoked")
    return 0
