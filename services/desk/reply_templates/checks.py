"""What a reply template must be: a key, and per language a title and a text whose
placeholders are known. One rule set for the desk's form and the shipped starter set."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from services.desk.admin.errors import InvalidEntryError
from services.desk.reply_templates.placeholders import problems
from shared.vocabulary import REGION_LANGUAGES

KEY: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TITLE: Final = 200
MAX_TEXT: Final = 20_000

Variants = dict[str, dict[str, str]]


def _control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs")


def clean_title(value: str) -> str:
    """One line: control characters and line breaks become spaces."""
    return " ".join("".join(" " if _control(c) else c for c in value).split())


def clean_text(value: str) -> str:
    """Line breaks kept (as \\n), tabs kept, every other control character dropped: the
    text ends up in a mail body, and nothing in it may look like a header."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    kept = "".join(c for c in text if c in "\n\t" or not _control(c))
    return "\n".join(line.rstrip() for line in kept.split("\n")).strip("\n")


def check_key(key: str) -> str:
    key = key.strip()
    if not KEY.match(key):
        raise InvalidEntryError(
            {"key": "1 to 64 lower-case letters, digits, '_' or '-', such as eu_blue_card"}
        )
    return key


def clean_variants(variants: Mapping[str, Mapping[str, str]]) -> Variants:
    """The variants cleaned, or InvalidEntryError naming each field at fault ("uk.text").
    A language whose title and text are both empty has no variant."""
    errors: dict[str, str] = {}
    cleaned: Variants = {}
    for language, given in variants.items():
        title = clean_title(given.get("title", ""))
        text = clean_text(given.get("text", ""))
        if not title and not text:
            continue
        if language not in REGION_LANGUAGES:
            errors[language] = f"{language!r} is not one of the region's languages"
            continue
        if not title:
            errors[f"{language}.title"] = f"title ({language}): write a title"
        elif len(title) > MAX_TITLE:
            errors[f"{language}.title"] = f"title ({language}): at most {MAX_TITLE} characters"
        if not text:
            errors[f"{language}.text"] = f"text ({language}): write the text"
        elif len(text) > MAX_TEXT:
            errors[f"{language}.text"] = f"text ({language}): at most {MAX_TEXT} characters"
        else:
            found = problems(text)
            if found:
                errors[f"{language}.text"] = f"text ({language}): " + "; ".join(found)
        cleaned[language] = {"title": title, "text": text}
    if not cleaned and not errors:
        errors["variants"] = "write a title and a text in at least one language"
    if errors:
        raise InvalidEntryError(errors)
    return cleaned
