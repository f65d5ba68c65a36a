"""Rendering the desk's pages: the UI language (German or English), the catalogues, the
templates, and the security headers every page carries."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale, negotiate_locale
from babel.dates import format_datetime
from babel.support import Translations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup

from services.desk import labels
from shared.i18n import load_translations, template_environment

HERE: Final = Path(__file__).resolve().parent
TEMPLATES: Final = HERE / "templates"
LOCALES: Final = HERE / "locales"
STATIC: Final = HERE / "static"
UI_LANGUAGES: Final = ("de", "en")
LANGUAGE_COOKIE: Final = "wd_desk_lang"
LOCAL_TIME: Final = ZoneInfo("Europe/Berlin")
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def ui_language(request: Request, preferred: str | None = None) -> tuple[str, bool]:
    """The page's language and whether ?lang= chose it just now (to be remembered)."""
    asked = (request.query_params.get("lang") or "").lower()[:8]
    if asked in UI_LANGUAGES:
        return asked, True
    remembered = request.cookies.get(LANGUAGE_COOKIE, "")
    if remembered in UI_LANGUAGES:
        return remembered, False
    if preferred in UI_LANGUAGES:
        return str(preferred), False
    header = request.headers.get("accept-language", "")[:500]
    tags = [part.split(";")[0].strip() for part in header.split(",") if part.strip()]
    chosen = negotiate_locale(tags, UI_LANGUAGES, sep="-", aliases={}) or "de"
    return chosen.split("-")[0] if chosen.split("-")[0] in UI_LANGUAGES else "de", False


# Dates as people in Germany write them, in English too: 06/12/2026, 16:39 (British
# order and a 24-hour clock), never 12/6/26, 4:39 PM, which reads as 12 June here.
DATE_LOCALES: Final = {"de": "de_DE", "en": "en_GB"}


@functools.cache
def translations(language: str) -> Translations:
    return load_translations(LOCALES, language, source_language="en")


@functools.cache
def environment(language: str) -> Environment:
    env = template_environment(TEMPLATES, translations(language), escape_by_default=True)
    env.globals.update(labels=labels, _=_ready_gettext(translations(language)))
    env.filters["when"] = functools.partial(_when, locale=Locale.parse(DATE_LOCALES[language]))
    env.filters["language_name"] = functools.partial(_language_name, language=language)
    return env


READY_TEXTS: Final = 5_000  # far more than the templates and labels hold


def _ready_gettext(catalogue: Translations) -> Callable[..., Markup]:
    """`_()` as Jinja's newstyle gettext gives it to an autoescaped template (the
    translation as markup, formatted with its variables escaped), with each text
    without variables kept once made: a page shows dozens, the same on every page."""
    ready: dict[str, Markup] = {}

    def gettext(message: str, /, **variables: Any) -> Markup:
        if variables:
            return Markup(catalogue.gettext(message)) % variables
        text = ready.get(message)
        if text is None:
            text = Markup(catalogue.gettext(message)) % {}
            if len(ready) < READY_TEXTS:
                ready[message] = text
        return text

    return gettext


def _language_name(code: str, *, language: str) -> str:
    """'Ukrainisch' for uk on a German page; the code itself when Babel has no name."""
    name = Locale.parse(language).languages.get(code)
    return f"{name} ({code})" if name else code


def _when(value: dt.datetime | str | None, *, locale: Locale) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # as an export's JSON holds it
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(LOCAL_TIME), "short", locale=locale)


def other_language(request: Request, language: str, here: str | None = None) -> str:
    """The link to this page in the other UI language. It keeps the query (where to go
    after signing in, a search's filters); a page that answers a form names the page the
    form was on as `here`, since its own address takes no GET."""
    if here is None:
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "done")]
        here = f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path
    other = "en" if language == "de" else "de"
    return f"{here}{'&' if '?' in here else '?'}lang={other}"


def page(
    request: Request,
    template: str,
    status_code: int = 200,
    /,
    *,
    preferred: str | None = None,
    here: str | None = None,
    **context: Any,
) -> HTMLResponse:
    language, remember = ui_language(request, preferred)
    html = (
        environment(language)
        .get_template(template)
        .render(
            lang=language,
            path=request.url.path,
            other_language=other_language(request, language, here),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
    response.headers["Content-Language"] = language
    if remember:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="lax"
        )
    return response
