"""Who is acting: a signed-in person or a manager's API token, as a plain value."""

from __future__ import annotations

from dataclasses import dataclass

from shared.vocabulary import StaffRole


@dataclass(frozen=True)
class Staff:
    id: int | None  # None for an API token (it belongs to a manager, not to an account)
    email: str
    role: StaffRole
    manager_id: str | None  # the directory's manager this person is
    site: str | None  # that manager's site: whose triage queue they see
    name: str
    language: str = "de"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> str:
        """How history names them."""
        return self.email
