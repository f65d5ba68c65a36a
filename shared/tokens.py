"""Manager API tokens: made here, and only their hash stored or compared.

One hash function for every place that issues or checks a token, so that a token
made by `welcomedesk token create` is the one a check accepts.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.orm import Session

from shared.db.models import ManagerRow


def hash_token(token: str) -> str:
    # A token is 32 random bytes: a plain SHA-256 is enough, no salt or stretching needed.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def issue_manager_token(session: Session, *, manager_id: str) -> str | None:
    """A new token for the manager, replacing any earlier one; None when there is no such
    manager. Only its hash is stored, so the token is shown once."""
    manager = session.get(ManagerRow, manager_id)
    if manager is None:
        return None
    token = new_token()
    manager.api_token_hash = hash_token(token)
    return token
