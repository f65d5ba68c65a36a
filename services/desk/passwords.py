"""Password hashes: Argon2id (argon2-cffi's defaults), rehashed when the parameters change."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 1000  # hashing a megabyte on every attempt would be a way to tie up the server


class WeakPasswordError(ValueError):
    pass


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(f"a password may have at most {MAX_LENGTH} characters")
    if "\x00" in password:
        raise WeakPasswordError("a password cannot contain a NUL character")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored or not password or len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


# A hash to verify against when the account does not exist, so that the answer takes as
# long as for a real account and does not tell which addresses have one.
@cache
def decoy_hash() -> str:
    return _hasher().hash("not a password of anyone: decoy")
