"""Translation catalogues (.po, read at run time) and one Jinja2 environment per language."""

import functools
import unicodedata
from pathlib import Path
from typing import Final

from babel.support import Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

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


@pass_context
def isolate(context: Context, reference: str) -> str | Markup:
    """A reference such as "WC-2026-000123" kept whole and left to right inside any text.

    Its hyphens and digits have no direction of their own: in Arabic or Persian text they
    would be reordered ("-WC-2026 / 000123") and broken across lines. The HTML part isolates
    it in a <bdi dir="ltr"> that never wraps; a right-to-left text part between the Unicode
    isolates LRI and PDI."""
    if context.eval_ctx.autoescape:
        return Markup('<bdi dir="ltr" style="white-space:nowrap;">{}</bdi>').format(reference)
    return f"\u2066{reference}\u2069" if context.get("direction") == "rtl" else reference


@pass_context
def own(context: Context, words: str) -> str | Markup:
    """What a person wrote (a name, a subject), isolated from the sentence around it.

    An Arabic name in a German greeting, or a Latin one in an Arabic greeting, would
    otherwise carry the comma after it to the wrong end. The HTML part uses <bdi>, which
    takes the direction of the words themselves; a text part the isolates FSI and PDI,
    wherever either the mail or the words run right to left."""
    if context.eval_ctx.autoescape:
        return Markup("<bdi>{}</bdi>").format(words)
    if context.get("direction") == "rtl" or any(
        unicodedata.bidirectional(char) in ("R", "AL") for char in words
    ):
        return f"\u2068{words}\u2069"
    return words


@functools.cache
def environment(language: str) -> Environment:
    env = template_environment(
        TEMPLATES, translations(language), escape_by_default=False, keep_trailing_newline=True
    )
    env.filters["isolate"] = isolate
    env.filters["own"] = own
    return env


def render(language: str, template: str, /, **context: object) -> str:
    return environment(language).get_template(template).render(**context)
