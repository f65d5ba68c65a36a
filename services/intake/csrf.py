"""The form's one-time token: signed, bound to the browser's cookie, and the key of its enquiry.

A token carries the browser's id (a random value in an HttpOnly cookie) and a
nonce. Another site can neither read the cookie nor forge a token that names it,
so a cross-site POST fails; the nonce makes a double submit one enquiry.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Final

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

COOKIE: Final = "wd_form"
COOKIE_MAX_AGE: Final = 24 * 3600
TOKEN_MAX_AGE: Final = 12 * 3600  # a long enquiry, written slowly on a phone, still goes through
_SALT: Final = "welcomedesk.intake.form"


class TokenError(Exception):
    """The token is missing, forged, expired or not this browser's."""


@dataclass(frozen=True)
class FormGuard:
    secret_key: str

    @property
    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=_SALT)

    @staticmethod
    def new_browser_id() -> str:
        return secrets.token_urlsafe(18)

    def issue(self, browser_id: str) -> str:
        return self._serializer.dumps({"b": browser_id, "n": secrets.token_urlsafe(18)})

    def check(self, token: str | None, browser_id: str | None) -> str:
        """The token's nonce, if the token is genuine, fresh and this browser's."""
        if not token or not browser_id or len(token) > 500:
            raise TokenError("missing")
        try:
            payload = self._serializer.loads(token, max_age=TOKEN_MAX_AGE)
        except SignatureExpired as exc:
            raise TokenError("expired") from exc
        except BadSignature as exc:
            raise TokenError("bad signature") from exc
        if not isinstance(payload, dict):
            raise TokenError("bad payload")
        owner, nonce = payload.get("b"), payload.get("n")
        if not isinstance(owner, str) or not isinstance(nonce, str) or not nonce:
            raise TokenError("bad payload")
        if not secrets.compare_digest(owner.encode(), browser_id.encode()):
            raise TokenError("another browser's token")
        return nonce


def idempotency_key(nonce: str) -> str:
    return f"web-form:{nonce}"
