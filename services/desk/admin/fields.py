"""The directory's forms, field by field: what each entry's form shows and how a posted
form becomes the plain data the directory's model validates. Pure: no I/O.

A field's name is its key in the directory file, so that a fault the model finds at
("managers", 2, "capacity") is shown beside the form's `capacity`. A new field of an
entry (a site's time zone, say) is one line here and one label in labels.FIELD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

Kind = Literal[
    "key",
    "text",
    "email",
    "number",
    "decimal",
    "checkbox",
    "select",
    "choices",
    "codes",
    "dates",
    "hours",
]
Form = Mapping[str, Sequence[str]]  # a posted form: every value of each name
EMPTY_ROWS: Final = 2  # blank rows under a list of date ranges, to add new ones


@dataclass(frozen=True)
class FormField:
    name: str
    kind: Kind = "text"
    options: str | None = None  # which list of choices: sites, districts, topics, target_groups


SITE: Final = (
    FormField("code", "key"),
    FormField("name"),
    FormField("team_email", "email"),
    FormField("districts", "choices", "districts"),
    FormField("timezone"),
    FormField("hours", "hours"),
    FormField("closures", "dates"),
    FormField("accept_within", "decimal"),
    FormField("triage_within", "decimal"),
)
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGES = re.compile(r"[\s,;]+")
MANAGER: Final = (
    FormField("id", "key"),
    FormField("name"),
    FormField("email", "email"),
    FormField("site", "select", "sites"),
    FormField("languages", "codes"),
    FormField("topics", "choices", "topics"),
    FormField("capacity", "number"),
    FormField("active", "checkbox"),
    FormField("absences", "dates"),
)
PARTNER: Final = (
    FormField("id", "key"),
    FormField("name"),
    FormField("email", "email"),
    FormField("topics", "choices", "topics"),
    FormField("target_groups", "choices", "target_groups"),
    FormField("languages", "codes"),
    FormField("districts", "choices", "districts"),
    FormField("auto_refer", "checkbox"),
)
FORMS: Final[dict[str, tuple[FormField, ...]]] = {
    "sites": SITE,
    "managers": MANAGER,
    "partners": PARTNER,
}
KEYS: Final = {"sites": "code", "managers": "id", "partners": "id"}
_CODES = re.compile(r"[\s,;]+")


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1].strip()


def date_rows(form: Form, name: str) -> list[dict[str, str]]:
    """Rows `name.N.from` / `name.N.to` in the order of N; a row left empty is dropped,
    one half-filled is kept so that the model says what is missing."""
    numbers = sorted(
        {
            int(parts[1])
            for key in form
            if len(parts := key.split(".")) == 3
            and parts[0] == name
            and parts[1].isdigit()
            and len(parts[1]) < 4
        }
    )
    rows = []
    for n in numbers:
        row = {part: _one(form, f"{name}.{n}.{part}") for part in ("from", "to")}
        if any(row.values()):
            rows.append({k: v for k, v in row.items() if v})
    return rows


# Fields that may be left empty: the default applies (Europe/Berlin, the settings' limits).
OPTIONAL: Final = frozenset({"timezone", "accept_within", "triage_within"})


def week_hours(form: Form, name: str) -> dict[str, list[str]] | None:
    """`hours.mon` ... `hours.sun`, each "09:00-12:30, 13:30-16:00": the week's office
    hours, a day left empty closed; every day empty: None, Monday to Friday 09:00-17:00."""
    week = {day: [r for r in _RANGES.split(_one(form, f"{name}.{day}")) if r] for day in WEEKDAYS}
    if not any(week.values()):
        return None
    return {day: ranges for day, ranges in week.items() if ranges}


def values_from_form(fields: Sequence[FormField], form: Form) -> dict[str, Any]:
    """The posted form as directory data; what the model makes of it is its business
    (a capacity of "twenty" is its error, named at `capacity`)."""
    values: dict[str, Any] = {}
    for field in fields:
        if field.kind == "checkbox":
            values[field.name] = field.name in form
        elif field.kind == "choices":
            values[field.name] = [v for v in form.get(field.name, ()) if v]
        elif field.kind == "codes":
            values[field.name] = [c for c in _CODES.split(_one(form, field.name)) if c]
        elif field.kind == "dates":
            values[field.name] = date_rows(form, field.name)
        elif field.kind == "hours":
            values[field.name] = week_hours(form, field.name)
        elif field.kind in ("decimal", "text") and field.name in OPTIONAL:
            values[field.name] = _one(form, field.name).replace(",", ".") or None
        else:
            values[field.name] = _one(form, field.name)
    return values
