"""Why a case action was not done, with the HTTP status the API answers and a message a
person understands; pages show the same message."""

from __future__ import annotations


class CaseError(Exception):
    status_code = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class CaseNotFoundError(CaseError):
    """Unknown, or not this person's to see: the answer is the same (404)."""

    status_code = 404


class StaleVersionError(CaseError):
    """The case changed since the person loaded it."""

    status_code = 409

    def __init__(self, reference: str, given: int, current: int) -> None:
        super().__init__(
            f"{reference} was changed by someone else while you had it open (you had version "
            f"{given}, it is now at version {current}). Nothing was done: look at the case "
            "again and repeat your action if it still makes sense."
        )
        self.current = current


class VersionRequiredError(CaseError):
    status_code = 428

    def __init__(self) -> None:
        super().__init__(
            "this change needs the case's version (an If-Match header or `version` in the "
            "body), so that it never overwrites a change made meanwhile",
            field="version",
        )


class ActionRefusedError(CaseError):
    """Not possible in the case's state (closed, no consent, ...)."""

    status_code = 409


class ForbiddenError(CaseError):
    """Visible to this person, but not theirs to change."""

    status_code = 403


class InvalidInputError(CaseError):
    status_code = 422
