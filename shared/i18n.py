"""Gettext catalogues read from .po files at run time, and Jinja2 environments using them.

No compiled .mo file is shipped: a catalogue is compiled in memory the first time
its language is needed. The intake's pages and the notification mails each keep
their own catalogues and templates and use these two functions.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

DOMAIN = "messages"


def load_translations(locales: Path, language: str, *, source_language: str = "en") -> Translations:
    """The language's catalogue under `locales`; the source language needs none."""
    if language == source_language:
        return Translations(domain=DOMAIN)
    path = locales / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        raise ValueError(f"no catalogue for language {language!r}")
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def template_environment(
    templates: Path,
    translations: Translations,
    *,
    escape_by_default: bool,
    keep_trailing_newline: bool = False,
) -> Environment:
    """Templates with `_`/`ngettext` bound to one language; `.html.j2` always autoescapes."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=escape_by_default),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )
    # The i18n extension adds this method at run time, so the type stubs do not know it.
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations, newstyle=True
    )
    return env
