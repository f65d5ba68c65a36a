"""Signing in: password check, server-side sessions (the cookie holds a random token, the
database its digest), idle and absolute expiry, and the second factor (TOTP)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.desk.accounts import AccountError, normalise_email
from services.desk.passwords import decoy_hash, hash_password, needs_rehash, verify_password
from services.desk.staff import Staff
from shared.db.models import (
    ApiTokenRow,
    ManagerRow,
    StaffRow,
    StaffSessionRow,
    as_utc,
    utcnow,
)
from shared.tokens import new_token, token_digest

# A session's last-seen time is written at most this often: not on every request.
TOUCH_EVERY = dt.timedelta(seconds=60)
ISSUER = "welcomedesk"


@dataclass(frozen=True)
class SessionPolicy:
    idle: dt.timedelta
    max_age: dt.timedelta


def authenticate(session: Session, *, email: str, password: str) -> StaffRow | None:
    """The active account whose password this is, else None, in the same time either way."""
    try:
        address = normalise_email(email)
    except AccountError:
        address = ""
    staff = session.scalar(select(StaffRow).where(StaffRow.email == address)) if address else None
    if staff is None or not staff.active or staff.password_hash is None:
        verify_password(decoy_hash(), password)
        return None
    if not verify_password(staff.password_hash, password):
        return None
    if needs_rehash(staff.password_hash):
        staff.password_hash = hash_password(password)
    return staff


def start_session(session: Session, *, staff: StaffRow, verified: bool) -> str:
    """A new session for the account; returns the cookie's value. `verified` is False while
    the second factor is still to be given."""
    token = new_token()
    now = utcnow()
    session.add(
        StaffSessionRow(
            id=token_digest(token),
            staff_id=staff.id,
            created_at=now,
            seen_at=now,
            verified=verified,
        )
    )
    if verified:
        staff.signed_in_at = now
    session.flush()
    return token


@dataclass(frozen=True)
class SignedIn:
    staff: Staff
    session_id: str  # the digest: the CSRF token is bound to it
    verified: bool
    row: StaffRow


def _as_staff(row: StaffRow, manager: ManagerRow | None) -> Staff:
    return Staff(
        id=row.id,
        email=row.email,
        role="admin" if row.role == "admin" else "manager",
        manager_id=row.manager_id,
        site=manager.site if manager else None,
        name=manager.name if manager else row.email,
        language=row.language,
    )


_SESSION = (
    select(StaffSessionRow, StaffRow, ManagerRow)
    .join(StaffRow, StaffRow.id == StaffSessionRow.staff_id)
    .outerjoin(ManagerRow, ManagerRow.id == StaffRow.manager_id)
)


def signed_in(session: Session, *, token: str, policy: SessionPolicy) -> SignedIn | None:
    """Who the session cookie is, or None when it is unknown, ended or expired."""
    if not token or len(token) > 200:
        return None
    digest = token_digest(token)
    found = session.execute(_SESSION.where(StaffSessionRow.id == digest)).first()
    if found is None:
        return None
    row, staff, manager = found
    now = utcnow()
    if (
        not staff.active
        or as_utc(row.seen_at) + policy.idle <= now
        or as_utc(row.created_at) + policy.max_age <= now
    ):
        session.execute(delete(StaffSessionRow).where(StaffSessionRow.id == digest))
        session.commit()
        return None
    if now - as_utc(row.seen_at) >= TOUCH_EVERY:
        row.seen_at = now
        session.commit()
    return SignedIn(_as_staff(staff, manager), digest, row.verified, staff)


def end_session(session: Session, *, token: str) -> None:
    session.execute(delete(StaffSessionRow).where(StaffSessionRow.id == token_digest(token)))


def staff_for_api_token(session: Session, token: str) -> Staff | None:
    """The manager an API token acts as; revoked tokens and inactive managers get nothing."""
    if not token or len(token) > 200:
        return None
    found = session.execute(
        select(ApiTokenRow, ManagerRow)
        .join(ManagerRow, ManagerRow.id == ApiTokenRow.manager_id)
        .where(ApiTokenRow.token_hash == token_digest(token), ApiTokenRow.revoked_at.is_(None))
    ).first()
    if found is None:
        return None
    token_row, manager = found
    account = session.scalar(select(StaffRow).where(StaffRow.manager_id == manager.id))
    if account is not None and not account.active:
        return None
    now = utcnow()
    if token_row.used_at is None or now - as_utc(token_row.used_at) >= TOUCH_EVERY:
        token_row.used_at = now
        session.commit()
    return Staff(
        id=account.id if account else None,
        email=account.email if account else manager.email.lower(),
        role="manager",
        manager_id=manager.id,
        site=manager.site,
        name=manager.name,
        language=account.language if account else "de",
    )


# The second factor.


def begin_enrolment(staff: StaffRow) -> str:
    """A new secret for the authenticator app; active once a code from it is confirmed."""
    staff.totp_secret = pyotp.random_base32()
    staff.totp_enabled = False
    return staff.totp_secret


def provisioning_uri(staff: StaffRow) -> str:
    assert staff.totp_secret is not None
    return pyotp.TOTP(staff.totp_secret).provisioning_uri(name=staff.email, issuer_name=ISSUER)


def check_code(staff: StaffRow, code: str, *, at: dt.datetime | None = None) -> bool:
    """Whether the code is the current one (or its neighbour, for a slow hand), and not
    used before: a code seen once cannot sign in again."""
    code = "".join(code.split())
    if staff.totp_secret is None or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(staff.totp_secret)
    moment = at or utcnow()
    for drift in (0, -1, 1):
        step_time = moment + dt.timedelta(seconds=drift * totp.interval)
        if totp.verify(code, for_time=step_time, valid_window=0):
            step = totp.timecode(step_time)
            if staff.totp_last_step is not None and step <= staff.totp_last_step:
                return False
            staff.totp_last_step = step
            return True
    return False


def confirm_enrolment(staff: StaffRow, code: str) -> bool:
    if not check_code(staff, code):
        return False
    staff.totp_enabled = True
    return True


def verify_session(session: Session, *, session_id: str) -> None:
    row = session.get(StaffSessionRow, session_id)
    if row is not None:
        row.verified = True
        staff = session.get(StaffRow, row.staff_id)
        if staff is not None:
            staff.signed_in_at = utcnow()
