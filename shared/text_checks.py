"""What a client's text must be before it reaches the database: no NUL (PostgreSQL's text
cannot hold one) and no lone surrogate (it cannot be encoded at all). Neither is ever
part of what a person writes."""

from __future__ import annotations


def storable(value: object) -> object:
    """The value unchanged, or ValueError naming what is wrong; looks into lists."""
    if isinstance(value, list):
        for item in value:
            storable(item)
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("is not valid text (a lone surrogate)") from exc
    return value
