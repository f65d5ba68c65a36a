"""Secrets handed to people (API tokens, session cookies, one-time links) are stored only
as a digest: a copy of the database lets nobody act as staff."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are long random values, so a plain SHA-256 is enough (no password hash)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
