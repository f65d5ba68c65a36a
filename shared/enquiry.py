"""The fields of an enquiry as they arrive, shared by the intake API and `welcomedesk route`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from shared.vocabulary import RequesterType

Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
# At most 16 characters: the column's size ("pt-BR", "zh-Hant-TW" fit).
LanguageTag = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=16, pattern=r"^[a-zA-Z]{2}([-_]\w+)?$"
    ),
]


class EnquiryFields(BaseModel):
    """What an enquirer tells us; only `message` is required to understand an enquiry.

    Lenient (unknown keys ignored, consents coerced): `welcomedesk route` reads these from
    files and the mail intake builds them from mails. The intake API and form take the
    strict EnquiryCreate."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    requester_type: RequesterType | None = None
    name: Line | None = None
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(max_length=50)] | None = None
    company: Line | None = None
    postal_code: Annotated[str, StringConstraints(max_length=12)] | None = None
    city: Annotated[str, StringConstraints(max_length=100)] | None = None
    country: Annotated[str, StringConstraints(max_length=100)] | None = None
    preferred_language: LanguageTag | None = None
    preferred_site: Annotated[str, StringConstraints(max_length=64)] | None = None
    subject: Annotated[str, StringConstraints(max_length=300)] | None = None
    message: Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    consent_processing: bool | None = None
    consent_referral: bool = False

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # Databases refuse NUL in text; it is never part of what a person writes.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("contains a NUL character")
        return value

    @property
    def declared_language(self) -> str | None:
        """The two-letter code of a declared language ('pt-BR' counts as 'pt')."""
        return self.preferred_language[:2] if self.preferred_language else None


class RouteRequest(EnquiryFields):
    """One line of `welcomedesk route` input: the intake fields plus an optional id."""

    id: Annotated[str, Field(max_length=200)] | int | None = None
