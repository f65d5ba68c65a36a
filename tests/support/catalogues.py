"""Checks every gettext catalogue of the product must pass (the form's and the mails')."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po


def catalogue(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language)


def ids(cat: Catalog) -> set[object]:
    return {message.id for message in cat if message.id}


def assert_complete_and_clean(template: Path, po: Path, language: str) -> None:
    """Every message of the template translated, no fuzzy entry, all plural forms, no
    placeholder mismatch (Babel's own checks)."""
    cat = catalogue(po, language)
    assert str(cat.locale) == language
    assert ids(cat) == ids(catalogue(template))
    for message in cat:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (cat.num_plurals if message.pluralizable else 1), message.id
        assert all(strings), message.id
        assert [str(e) for e in message.check(cat)] == [], message.id
