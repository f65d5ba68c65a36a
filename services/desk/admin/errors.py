"""Why an edit was not saved, by the form field at fault, so that a page can show each
message beside its field and an API can name it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from services.desk.staff import Staff


class InvalidEntryError(ValueError):
    """Nothing was saved: `fields` maps a form field to what is wrong with it; `general`
    holds what belongs to no single field."""

    def __init__(self, fields: Mapping[str, str], general: Sequence[str] = ()) -> None:
        self.fields = dict(fields)
        self.general = list(general)
        said = [f"{name}: {message}" for name, message in self.fields.items()] + self.general
        super().__init__("; ".join(said))


class EntryNotFoundError(LookupError):
    """No such entry (a template key, a manager id, an account)."""


class AdminOnlyError(PermissionError):
    """Only administrators may do this."""


def require_admin(staff: Staff) -> None:
    # The pages check this before anything runs; the use cases check again, so that no
    # other way in (a route added later, a manager's API token) can skip it.
    if not staff.is_admin:
        raise AdminOnlyError("only administrators may change this")
