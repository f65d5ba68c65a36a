"""German and English labels for the codes a manager or partner reads in a mail."""

from typing import Final

from babel import Locale
from babel.core import UnknownLocaleError

from shared import vocabulary
from shared.vocabulary import TOPIC_LABELS

TOPIC_LABELS_DE: Final = {
    "labour_market": "Zugang zum Arbeitsmarkt",
    "recognition": "Anerkennung ausländischer Abschlüsse",
    "language": "Deutschkurse",
    "study": "Studium",
    "vocational_training": "Berufsausbildung",
    "job_application": "Bewerbung",
    "employer_hiring": "Einstellung aus dem Ausland",
    "living": "Leben in der Region",
    "other": "Sonstiges",
}

REQUESTER_LABELS: Final = {
    "worker": "Person (Fachkraft, Studium, Ausbildung, Familie) / individual",
    "employer": "Unternehmen / employer",
}

DISTRICT_NAMES: Final = vocabulary.DISTRICT_NAMES


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


def language_label(code: str) -> str:
    """'ar (Arabisch / Arabic)'; the bare code when Babel does not know it."""
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
