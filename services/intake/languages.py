"""The web form's languages: which one a request gets, its catalogue, its templates.

Catalogues are .po files compiled in memory at first use, as in the notifications
service, so no .mo file is ever shipped.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from babel import Locale, negotiate_locale
from babel.support import Translations
from jinja2 import Environment

from shared.i18n import load_translations, template_environment
from shared.vocabulary import REGION_LANGUAGES

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
LOCALES = HERE / "locales"
DOMAIN = "messages"

# The form speaks every language the region's enquirers write in, as their confirmation
# does; English is the source text, so it has no catalogue.
SOURCE_LANGUAGE: Final = "en"
DEFAULT_LANGUAGE: Final = "de"  # the region's language, for a browser that states nothing
FORM_LANGUAGES: Final = REGION_LANGUAGES
TRANSLATED: Final = tuple(code for code in FORM_LANGUAGES if code != SOURCE_LANGUAGE)
RIGHT_TO_LEFT: Final = frozenset({"ar", "fa"})
COOKIE: Final = "wd_lang"
COOKIE_MAX_AGE: Final = 365 * 24 * 3600


@dataclass(frozen=True)
class Choice:
    language: str
    remember: bool  # chosen by ?lang= just now: store it in the cookie

    @property
    def direction(self) -> str:
        return text_direction(self.language)


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def supported(code: str | None) -> str | None:
    """The form language a code names ('AR', 'pt-BR' and 'de_AT' count by their first part)."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in FORM_LANGUAGES else None


def accepted(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, best first; q=0 means 'not this one'."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "")[:1000].split(",")):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def choose(*, query: str | None, cookie: str | None, accept_language: str | None) -> Choice:
    """?lang= first (and remembered), then the cookie, then the browser's languages, then German."""
    if chosen := supported(query):
        return Choice(chosen, remember=True)
    if remembered := supported(cookie):
        return Choice(remembered, remember=False)
    negotiated = negotiate_locale(accepted(accept_language), FORM_LANGUAGES, sep="-", aliases={})
    return Choice(supported(negotiated) or DEFAULT_LANGUAGE, remember=False)


def language_name(code: str, in_language: str) -> str:
    """'العربية (Arabisch)': the language's own name, and its name in the page's language."""
    own = Locale.parse(code).get_display_name(code) or code
    own = own[:1].upper() + own[1:]
    if code == in_language:
        return own
    local = Locale.parse(in_language).languages.get(code)
    return f"{own} ({local})" if local and local.lower() != own.lower() else own


@functools.cache
def switcher() -> tuple[tuple[str, str, str], ...]:
    """The language links at the top of each page: code, own name, direction."""
    return tuple((code, language_name(code, code), text_direction(code)) for code in FORM_LANGUAGES)


@functools.cache
def answer_languages(in_language: str) -> tuple[tuple[str, str], ...]:
    """Choices for 'preferred language': every language the region's enquirers write in."""
    return tuple((code, language_name(code, in_language)) for code in REGION_LANGUAGES)


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> Translations:
    if language != SOURCE_LANGUAGE and language not in TRANSLATED:
        raise ValueError(f"no catalogue for language {language!r}")
    return load_translations(LOCALES, language, source_language=SOURCE_LANGUAGE)


@functools.cache
def environment(language: str) -> Environment:
    return template_environment(TEMPLATES, translations(language), escape_by_default=True)


def render(choice: Choice, template: str, /, **context: object) -> str:
    page: Mapping[str, object] = {
        "lang": choice.language,
        "direction": choice.direction,
        "languages": switcher(),
        **context,
    }
    return environment(choice.language).get_template(template).render(page)
