"""API schemas of the intake (the tables are separate classes in shared.db.models)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, field_validator

from shared.enquiry import EnquiryFields


class EnquiryCreate(EnquiryFields):
    """An enquiry as the API and the form accept it: consent to processing is required."""

    consent_processing: bool  # required here, optional in a dry run

    @field_validator("consent_processing")
    @classmethod
    def _consented(cls, value: bool) -> bool:
        if not value:
            raise ValueError("consent to processing is required to handle the enquiry")
        return value


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
