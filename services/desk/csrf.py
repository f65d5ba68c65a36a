"""CSRF tokens for every form of the desk, and for cookie-authenticated API changes.

A token is an HMAC of the secret key over what the browser holds: the session (signed
in) or a random pre-session cookie (the sign-in and password pages). Another site can
read neither, so it cannot make a token that passes; nothing is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

PRE_SESSION_COOKIE: Final = "wd_desk_pre"
FIELD: Final = "csrf_token"
HEADER: Final = "x-csrf-token"


class CsrfError(Exception):
    """The form's token is missing or does not belong to this browser."""


def new_pre_session() -> str:
    return secrets.token_urlsafe(24)


def token_for(secret_key: str, bound_to: str) -> str:
    mac = hmac.new(secret_key.encode(), f"desk-csrf|{bound_to}".encode(), hashlib.sha256)
    return mac.hexdigest()


def check(secret_key: str, bound_to: str | None, token: str | None) -> None:
    if not bound_to or not token or len(token) > 200:
        raise CsrfError("missing")
    if not hmac.compare_digest(token_for(secret_key, bound_to).encode(), token.encode()):
        raise CsrfError("forged")
