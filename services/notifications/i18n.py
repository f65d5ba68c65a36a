"""Translation catalogues (.po, read at run time) and one Jinja2 environment per language."""

import functools
from pathlib import Path
from typing import Final

from babel.support import Translations
from jinja2 import Environment

from shared.i18n import load_translations, template_environment

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
LOCALES = HERE / "locales"
DOMAIN = "messages"

# Confirmations go out in these languages; English is the source text, so it has no catalogue.
SOURCE_LANGUAGE: Final = "en"
TRANSLATED: Final = (
    "de",
    "ar",
    "uk",
    "ru",
    "tr",
    "es",
    "pl",
    "fr",
    "it",
    "pt",
    "ro",
    "bg",
    "fa",
    "vi",
    "zh",
    "hi",
)
CONFIRMATION_LANGUAGES: Final = frozenset((SOURCE_LANGUAGE, *TRANSLATED))
RIGHT_TO_LEFT: Final = frozenset({"ar", "fa"})


def confirmation_language(language: str) -> tuple[str, bool]:
    """The language a confirmation is written in, and whether that is the English fallback."""
    code = language.strip().lower().replace("_", "-").split("-")[0]
    if code in CONFIRMATION_LANGUAGES:
        return code, False
    return SOURCE_LANGUAGE, True


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> Translations:
    if language != SOURCE_LANGUAGE and language not in TRANSLATED:
        raise ValueError(f"no catalogue for language {language!r}")
    return load_translations(LOCALES, language, source_language=SOURCE_LANGUAGE)


@functools.cache
def environment(language: str) -> Environment:
    return template_environment(
        TEMPLATES, translations(language), escape_by_default=False, keep_trailing_newline=True
    )


def render(language: str, template: str, /, **context: object) -> str:
    return environment(language).get_template(template).render(**context)
