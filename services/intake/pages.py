"""What every HTML page of the intake shares: its language, its security headers, its rendering."""

from __future__ import annotations

from typing import Final

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from services.intake import languages

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The thank-you and status pages' addresses carry the enquirer's status token.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def choice(request: Request, *, given: str | None = None) -> languages.Choice:
    """The page's language: one the form sent, else ?lang=, the cookie, the browser's."""
    if given and (language := languages.supported(given)):
        return languages.Choice(language, remember=False)
    return languages.choose(
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(languages.COOKIE),
        accept_language=request.headers.get("accept-language"),
    )


def page(
    choice: languages.Choice, template: str, code: int = 200, /, **context: object
) -> Response:
    html = languages.render(choice, template, **context)
    response = HTMLResponse(html, status_code=code, headers=SECURITY_HEADERS)
    response.headers["Content-Language"] = choice.language
    if choice.remember:
        response.set_cookie(
            languages.COOKIE,
            choice.language,
            max_age=languages.COOKIE_MAX_AGE,
            httponly=True,
            samesite="lax",
        )
    return response


def base_url(request: Request) -> str:
    return str(request.app.state.runtime.settings.base_url).rstrip("/")
