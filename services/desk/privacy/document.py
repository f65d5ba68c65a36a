"""The export as a document a person can read: in their language where the desk speaks
it (German, English), else in English and then in German."""

from __future__ import annotations

from dataclasses import dataclass

from services.desk import views
from services.desk.privacy.export import Export


@dataclass(frozen=True)
class Keeping:
    """How long the centre keeps what (the settings), for the document to say."""

    case_days: int
    raw_days: int


def document_languages(language: str) -> list[str]:
    return [language] if language in views.UI_LANGUAGES else ["en", "de"]


def render_document(export: Export, keeping: Keeping) -> str:
    parts = []
    for language in document_languages(export.language):
        body = views.environment(language).get_template("privacy/document_body.html.j2")
        parts.append(
            {
                "lang": language,
                "html": body.render(lang=language, data=export.data, keeping=keeping),
            }
        )
    first = parts[0]["lang"]
    page = views.environment(first).get_template("privacy/document.html.j2")
    return page.render(lang=first, parts=parts)
