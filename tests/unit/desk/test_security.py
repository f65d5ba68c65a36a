"""The desk's small security pieces: CSRF tokens, passwords, second-factor codes, where a
sign-in may send the browser next."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from services.desk import csrf
from services.desk.pages.forms import safe_next
from services.desk.passwords import (
    WeakPasswordError,
    check_strength,
    hash_password,
    verify_password,
)
from services.desk.signin import check_code
from shared.db.models import StaffRow
from shared.tokens import token_digest

SECRET = "unit-test-secret-0123456789"


def test_a_csrf_token_fits_only_what_it_was_made_for() -> None:
    token = csrf.token_for(SECRET, "session-a")
    csrf.check(SECRET, "session-a", token)
    for bound, given in (("session-b", token), ("session-a", token[:-1] + "0"), ("session-a", "")):
        with pytest.raises(csrf.CsrfError):
            csrf.check(SECRET, bound, given)
    with pytest.raises(csrf.CsrfError):
        csrf.check("another-secret-0123456789", "session-a", token)
    with pytest.raises(csrf.CsrfError):
        csrf.check(SECRET, None, token)


def test_passwords_are_argon2id_and_checked() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password(None, "anything at all here")
    assert not verify_password("not a hash", "anything at all here")
    for weak in ("short", "x" * 1001, "twelve chars\x00"):
        with pytest.raises(WeakPasswordError):
            check_strength(weak)


def test_a_second_factor_code_counts_once() -> None:
    staff = StaffRow(email="a@example.org", role="admin", totp_secret=pyotp.random_base32())
    assert staff.totp_secret is not None
    at = dt.datetime(2026, 12, 7, 10, 0, 15, tzinfo=dt.UTC)
    code = pyotp.TOTP(staff.totp_secret).at(at)
    assert check_code(staff, code, at=at)
    assert not check_code(staff, code, at=at)  # replayed
    later = at + dt.timedelta(seconds=30)
    assert check_code(staff, pyotp.TOTP(staff.totp_secret).at(later), at=later)
    assert not check_code(staff, "12345", at=later)
    assert not check_code(staff, "abcdef", at=later)


def test_a_slow_hand_still_counts_within_one_step() -> None:
    staff = StaffRow(email="b@example.org", role="admin", totp_secret=pyotp.random_base32())
    assert staff.totp_secret is not None
    at = dt.datetime(2026, 12, 7, 10, 0, 5, tzinfo=dt.UTC)
    previous = pyotp.TOTP(staff.totp_secret).at(at - dt.timedelta(seconds=30))
    assert check_code(staff, f"{previous[:3]} {previous[3:]}", at=at)
    stale = pyotp.TOTP(staff.totp_secret).at(at - dt.timedelta(seconds=90))
    assert not check_code(staff, stale, at=at)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/cases/WC-2026-000001", "/cases/WC-2026-000001"),
        ("/cases?view=triage", "/cases?view=triage"),
        ("//evil.example/", "/cases"),
        ("/\\evil.example", "/cases"),
        ("https://evil.example/", "/cases"),
        ("/cases\r\nSet-Cookie: x=1", "/cases"),
        ("", "/cases"),
        (None, "/cases"),
    ],
)
def test_sign_in_sends_the_browser_back_only_within_the_site(
    target: str | None, expected: str
) -> None:
    assert safe_next(target) == expected


def test_tokens_are_kept_as_digests() -> None:
    assert token_digest("abc") != "abc" and len(token_digest("abc")) == 64
    assert token_digest("abc") == token_digest("abc") != token_digest("abd")
