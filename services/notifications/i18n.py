"""Translation catalogues (.po, read at run time) and one Jinja2 environment per language."""

import functools
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

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
    """The language's catalogue; the .po is compiled in memory, so no .mo is ever shipped."""
    if language == SOURCE_LANGUAGE:
        return Translations(domain=DOMAIN)
    if language not in TRANSLATED:
        raise ValueError(f"no catalogue for language {language!r}")
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@functools.cache
def environment(language: str) -> Environment:
    """Templates with `_`/`ngettext` bound to one language; HTML templates autoescape."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The i18n extension adds this method at run time, so the type stubs do not know it.
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True
    )
    return env


def render(language: str, template: str, /, **context: object) -> str:
    return environment(language).get_template(template).render(**context)
