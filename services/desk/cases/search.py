"""The search box of the case lists: a reference, or text anywhere in the name, e-mail,
subject, message or company, without regard to case.

On PostgreSQL a trigram index (migration 0005) holds those five fields joined into one
string, separated by a control character nobody types. Text without that character
lies within the joined string exactly when it lies within one of the fields, so one
ILIKE the index answers finds the same cases as five that would each read every row.
"""

from __future__ import annotations

from functools import reduce

from sqlalchemy import ColumnElement, String, func, literal_column, or_

from services.desk.cases.access import normalise_reference
from shared.db.models import EnquiryRow

MAX_QUERY = 200
SEPARATOR = "\x1f"
# Written as the index's expression is: PostgreSQL matches the two as they are spelt.
_SEPARATOR_SQL = literal_column("E'\\x1f'", String)
_EMPTY_SQL = literal_column("''", String)


def searched_text() -> ColumnElement[str]:
    """The five fields joined, as the trigram index holds them (PostgreSQL)."""
    fields: list[ColumnElement[str]] = [
        func.coalesce(EnquiryRow.name, _EMPTY_SQL),
        func.coalesce(EnquiryRow.email, _EMPTY_SQL),
        func.coalesce(EnquiryRow.subject, _EMPTY_SQL),
        EnquiryRow.message.expression,
        func.coalesce(EnquiryRow.company, _EMPTY_SQL),
    ]
    return reduce(lambda joined, field: joined + _SEPARATOR_SQL + field, fields)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(query: str, *, dialect: str) -> ColumnElement[bool]:
    """The cases the search box's `query` finds."""
    text = query.strip()[:MAX_QUERY]
    pattern = _like(text)
    anywhere: list[ColumnElement[bool]]
    if dialect == "postgresql" and SEPARATOR not in text:
        anywhere = [searched_text().ilike(pattern, escape="\\")]
    else:
        anywhere = [
            EnquiryRow.name.ilike(pattern, escape="\\"),
            EnquiryRow.email.ilike(pattern, escape="\\"),
            EnquiryRow.subject.ilike(pattern, escape="\\"),
            EnquiryRow.message.ilike(pattern, escape="\\"),
            EnquiryRow.company.ilike(pattern, escape="\\"),
        ]
    reference = normalise_reference(text)
    if reference is not None:
        anywhere.insert(0, EnquiryRow.reference == reference)
    return or_(*anywhere)
