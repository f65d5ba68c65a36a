"""The staff API's schemas (the tables are separate classes in shared.db.models)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from shared.text_checks import storable
from shared.vocabulary import Outcome


class _Body(BaseModel):
    """Every request body: an unknown field is an error that names it, and text that could
    not be stored (NUL, a lone surrogate) is an error that names its field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        return storable(value)


Version = Annotated[int, Field(ge=1, le=2**31 - 1)]


class VersionBody(_Body):
    version: Version | None = None


class ReassignBody(_Body):
    manager_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None
    reason: Annotated[str, StringConstraints(max_length=1000)] | None = None
    version: Version | None = None


class ReferralBody(_Body):
    partner_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    version: Version | None = None


class NoteBody(_Body):
    text: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class FileBody(_Body):
    filename: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    content_type: Annotated[str, StringConstraints(max_length=127)] = "application/octet-stream"
    content_base64: str


class ReplyBody(_Body):
    text: Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
    version: Version | None = None
    attachments: Annotated[list[FileBody], Field(max_length=50)] = []


class CorrectionBody(_Body):
    language: Annotated[str, StringConstraints(min_length=2, max_length=8)] | None = None
    requester_type: Annotated[str, StringConstraints(max_length=16)] | None = None
    topics: (
        Annotated[list[Annotated[str, StringConstraints(max_length=32)]], Field(max_length=9)]
        | None
    ) = None
    version: Version | None = None


class CloseBody(_Body):
    outcome: Outcome
    version: Version | None = None


class CaseChange(BaseModel):
    reference: str
    action: str  # what was done: accepted, taken, closed, ...
    status: str
    version: int


class ReferralCreated(CaseChange):
    partner_id: str


class StaffRead(BaseModel):
    email: str
    role: str
    manager_id: str | None
    site: str | None
    name: str
    # For a signed-in browser: what its changes send as X-CSRF-Token. None for a token.
    csrf_token: str | None = None
