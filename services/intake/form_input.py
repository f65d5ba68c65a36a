"""What a browser sent to the form: the values to show again, an EnquiryCreate, or field errors.

Pure: no I/O and no language. Errors are codes; form_errors.py words them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from services.intake.schemas import EnquiryCreate
from shared.vocabulary import REGION_LANGUAGES, REQUESTER_TYPES

TEXT_FIELDS: Final = (
    "requester_type",
    "name",
    "email",
    "phone",
    "company",
    "postal_code",
    "city",
    "country",
    "preferred_language",
    "preferred_site",
    "subject",
    "message",
)
CHECKBOXES: Final = ("consent_processing", "consent_referral")
FIELDS: Final = (*TEXT_FIELDS, *CHECKBOXES)  # the order errors are listed in
MULTILINE: Final = frozenset({"message"})
# The site is checked by EnquiryCreate against the directory's sites.
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "requester_type": REQUESTER_TYPES,
    "preferred_language": REGION_LANGUAGES,
}
HONEYPOT: Final = "website"
TOKEN: Final = "csrf_token"
LANGUAGE: Final = "lang"
# Which consent text the page showed: recorded with the consent.
CONSENT_TEXT: Final = ("consent_version", "consent_language")

ErrorKind = Literal["required", "too_long", "email", "consent", "choice", "text_only", "invalid"]
_CHOICE_ERRORS: Final = frozenset(
    {"literal_error", "enum", "string_pattern_mismatch", "unknown_site"}
)
_TICKED: Final = frozenset({"1", "on", "true", "yes"})  # what a ticked checkbox may send


@dataclass(frozen=True)
class FieldError:
    kind: ErrorKind | Literal["contact"]
    limit: int = 0  # the maximum length, for "too_long"


@dataclass
class Submission:
    values: dict[str, str]  # as entered (cleaned), to fill the form again
    checked: dict[str, bool]
    errors: dict[str, FieldError] = field(default_factory=dict)
    data: EnquiryCreate | None = None


def clean(value: str, *, multiline: bool) -> str:
    """Drops control characters (a NUL would be refused by PostgreSQL); keeps line breaks
    only where they belong."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in value:
        if unicodedata.category(char) != "Cc" or (char == "\n" and multiline):
            kept.append(char)
        elif char in "\t\n":
            kept.append(" ")
    return "".join(kept)


def single(form: FormData, name: str) -> str | None:
    """The field's first value if it is text; None if absent; a file or anything else raises."""
    values = form.getlist(name)
    if not values:
        return None
    first = values[0]
    if not isinstance(first, str):
        raise TypeError(name)
    return first


def _error_for(detail: ErrorDetails) -> FieldError:
    name = str(detail["loc"][0]) if detail["loc"] else ""
    kind = detail["type"]
    if kind == "string_too_long":
        return FieldError("too_long", int((detail.get("ctx") or {}).get("max_length", 0)))
    if kind in ("missing", "string_too_short"):
        return FieldError("required")
    if kind == "contact_required":
        return FieldError("contact")
    if name == "email":
        return FieldError("email")
    if name == "consent_processing":
        return FieldError("consent")
    if kind in _CHOICE_ERRORS:
        return FieldError("choice")
    return FieldError("invalid")


def read_submission(form: FormData, *, sites: Collection[str] | None = None) -> Submission:
    """`sites`: the directory's site codes, which a chosen site must be one of."""
    submission = Submission(values={}, checked={})
    errors = submission.errors
    for name in TEXT_FIELDS:
        try:
            raw = single(form, name)
        except TypeError:
            errors[name] = FieldError("text_only")
            raw = None
        submission.values[name] = clean(raw or "", multiline=name in MULTILINE).strip()
    for name in CHECKBOXES:
        try:
            raw = single(form, name)
        except TypeError:
            errors[name] = FieldError("text_only")
            raw = None
        submission.checked[name] = (raw or "").strip().lower() in _TICKED
    for name, allowed in CHOICES.items():
        if submission.values[name] and submission.values[name] not in allowed:
            errors.setdefault(name, FieldError("choice"))

    candidate: dict[str, object] = {
        name: submission.values[name] or None for name in TEXT_FIELDS if name not in errors
    }
    candidate["message"] = submission.values["message"]
    candidate.update(submission.checked)
    for name in CONSENT_TEXT:
        try:
            candidate[name] = single(form, name) or None
        except TypeError:
            candidate[name] = "?"  # a file instead of the page's value: refused below
    context = None if sites is None else {"sites": sites}
    try:
        data: EnquiryCreate | None = EnquiryCreate.model_validate(candidate, context=context)
    except ValidationError as exc:
        data = None
        for detail in exc.errors():
            name = str(detail["loc"][0]) if detail["loc"] else ""
            if name in CONSENT_TEXT:  # not the text this page shows: show it and ask again
                errors.setdefault("consent_processing", FieldError("consent"))
            elif name in FIELDS:
                errors.setdefault(name, _error_for(detail))
    if not submission.values["email"] and not submission.values["phone"]:
        # EnquiryCreate says so only once every field is valid; the form says it at once.
        errors.setdefault("email", FieldError("contact"))
    if not errors and data is not None:
        submission.data = data
    return submission


def blank(*, answer_language: str) -> Submission:
    """An empty form; the answer language starts as the page's language."""
    values = dict.fromkeys(TEXT_FIELDS, "")
    values["preferred_language"] = answer_language
    return Submission(values=values, checked=dict.fromkeys(CHECKBOXES, False))
