"""The pages an enquirer sees after sending: the thank-you page, and the status page where the
confirmation's link leads, readable and in their language.

The JSON at /api/v1/status/{token} says the same for programs; these pages are for people,
with the form's layout, headers and languages (?lang=, then the cookie, then the browser).
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.intake import pages, service
from services.intake.deps import DbSession, lookup_limited

router = APIRouter(include_in_schema=False)

ANSWER_DAYS: Final = 2  # what the Welcome Center promises: an answer within two working days
# Dates as the centre's staff see them: a late-evening enquiry was received that day in Germany.
TIMEZONE: Final = ZoneInfo("Europe/Berlin")
MAX_TOKEN: Final = 64  # the column's width: a longer token matches nothing
# The form's English is British ("organisation", "enquiry"); its dates are too.
DATE_LOCALES: Final = {"en": "en_GB"}


def received_on(moment: dt.datetime, language: str) -> str:
    """'5. Dezember 2026', '5 ديسمبر 2026': the day in the page's language."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite drops the zone
    day = aware.astimezone(TIMEZONE).date()
    return format_date(day, format="long", locale=DATE_LOCALES.get(language, language))


def _case_page(request: Request, session: DbSession, token: str, template: str) -> Response:
    """The page about the case a status token names, or "not found" in the page's language."""
    choice = pages.choice(request)
    found = service.read_status(session, token=token) if len(token) <= MAX_TOKEN else None
    if found is None:
        return pages.page(choice, "not_found.html.j2", 404)
    return pages.page(
        choice,
        template,
        reference=found.reference,
        status=found.status,
        received=received_on(found.received_at, choice.language),
        site=found.site,
        site_name=service.site_name(session, found.site),
        # The status page in the language the enquirer used, wherever the link is opened.
        status_url=f"{pages.base_url(request)}/status/{token}?lang={choice.language}",
        days=ANSWER_DAYS,
    )


@router.get("/thanks", response_class=HTMLResponse)
def thank_you(request: Request) -> Response:
    """After a form the honeypot caught: thanks, and nothing to look up."""
    return pages.page(pages.choice(request), "thanks.html.j2", reference=None)


@router.get("/thanks/{token}", response_class=HTMLResponse, dependencies=[Depends(lookup_limited)])
def thanks(token: str, request: Request, session: DbSession) -> Response:
    return _case_page(request, session, token, "thanks.html.j2")


@router.get("/status/{token}", response_class=HTMLResponse, dependencies=[Depends(lookup_limited)])
def status_page(token: str, request: Request, session: DbSession) -> Response:
    return _case_page(request, session, token, "status.html.j2")
