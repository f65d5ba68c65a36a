"""German and English labels for the codes a manager or partner reads in a mail."""

import functools
from typing import Final

from babel import Locale
from babel.core import UnknownLocaleError

from shared.vocabulary import DISTRICT_NAMES, TOPIC_LABELS, TOPIC_LABELS_DE

REQUESTER_LABELS: Final = {
    "worker": "Person (Fachkraft, Studium, Ausbildung, Familie) / individual",
    "employer": "Unternehmen / employer",
}


def topic_label(code: str) -> str:
    """'Anerkennung ausländischer Abschlüsse / recognition of qualifications'."""
    german, english = TOPIC_LABELS_DE.get(code), TOPIC_LABELS.get(code)
    if german is None or english is None:
        return code
    return f"{german} / {english}"


def topic_labels(codes: tuple[str, ...]) -> list[str]:
    return [topic_label(code) for code in codes]


def requester_label(code: str) -> str:
    return REQUESTER_LABELS.get(code, code)


def district_name(code: str | None) -> str | None:
    if code is None:
        return None
    return DISTRICT_NAMES.get(code, code)


@functools.lru_cache(maxsize=512)
def language_label(code: str) -> str:
    """'ar (Arabisch / Arabic)'; the bare code when Babel does not know it. Kept once
    made: Babel loads a locale's data for each name, and every manager mail asks."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    german, english = locale.get_display_name("de"), locale.get_display_name("en")
    if not german or not english:
        return code
    return f"{code} ({german} / {english})"


def excerpt(message: str, *, limit: int = 300) -> str:
    """The message's first `limit` characters on one line, cut at a word, with '…' if cut."""
    text = " ".join(message.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + " …"
