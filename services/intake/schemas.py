"""API schemas of the intake (the tables are separate classes in shared.db.models)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared import consent
from shared.enquiry import EnquiryFields


class EnquiryCreate(EnquiryFields):
    """An enquiry as the API and the form accept it, under one set of rules: consent to
    processing, a way to answer (e-mail or phone), a site of the directory when one is
    chosen, consents as true/false only, no field we do not know. The channel is the
    server's to set. Consent is given to the consent text of `consent_version` (the
    current one unless named) in `consent_language` (unknown unless named): GET
    /api/v1/consent shows it."""

    model_config = ConfigDict(extra="forbid")

    consent_processing: StrictBool  # required here, optional in a dry run
    consent_referral: StrictBool = False
    consent_version: Annotated[str, StringConstraints(max_length=32)] | None = None
    consent_language: Annotated[str, StringConstraints(max_length=8)] | None = None

    @field_validator("consent_processing")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("consent to processing is required to handle the enquiry")
        return value

    @field_validator("preferred_site")
    @classmethod
    def _a_site_of_ours(cls, value: str | None, info: ValidationInfo) -> str | None:
        # The directory's sites come with the validation context; without one (a stored
        # request read back), the value was checked when it came in.
        sites = (info.context or {}).get("sites")
        if value is not None and sites is not None:
            check_site(value, sites)
        return value

    @model_validator(mode="after")
    def _reachable(self) -> EnquiryCreate:
        if not self.email and not self.phone:
            error = PydanticCustomError(
                "contact_required",
                "an e-mail address or a phone number is required, so that we can answer",
            )
            # Named on `email`, where the form shows it, rather than on the whole body.
            raise ValidationError.from_exception_data(
                type(self).__name__, [InitErrorDetails(type=error, loc=("email",), input=None)]
            )
        return self

    @field_validator("consent_version")
    @classmethod
    def _known_version(cls, value: str | None) -> str | None:
        if value is not None and value not in consent.versions():
            raise ValueError(f"no consent text version {value!r} (GET /api/v1/consent)")
        return value

    @field_validator("consent_language")
    @classmethod
    def _known_language(cls, value: str | None, info: ValidationInfo) -> str | None:
        version = info.data.get("consent_version") or consent.current_version()
        if value is not None and value not in consent.languages(version):
            raise ValueError(f"the consent text {version} has no language {value!r}")
        return value

    @model_validator(mode="after")
    def _current_version(self) -> Self:
        if self.consent_version is None:
            self.consent_version = consent.current_version()
        return self


def check_site(code: str, sites: Collection[str]) -> None:
    """The rule for a chosen site: one of the directory's (PydanticCustomError otherwise)."""
    if code not in sites:
        raise PydanticCustomError(
            "unknown_site",
            "must be one of the Welcome Center's sites: {sites}",
            {"sites": ", ".join(sorted(sites))},
        )


class ConsentRead(BaseModel):
    """A consent text as the form shows it, for an API client to show the same."""

    version: str
    language: str
    processing: consent.Wording
    referral: consent.Wording


class EnquiryAccepted(BaseModel):
    reference: str
    status_url: str
    received_at: dt.datetime


Status = Literal["received", "with_manager", "waiting", "referred", "closed"]


class StatusRead(BaseModel):
    """What an enquirer may see of their case: no one else's personal data."""

    reference: str
    status: Status
    received_at: dt.datetime
    site: str | None = None
    next_step: str
