"""The statistics page (figures and charts for a period and a site) and the printable
report of the same figures, for the centre to hand to its funders. Both read the same
service functions as the statistics API; a GET form chooses the period and the site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.names import read_names
from services.desk.deps import DeskSession, PageStaff, PageUser
from services.desk.statistics import service, view
from services.desk.statistics.period import Period, PeriodError, presets
from services.desk.views import page, translations, ui_language
from shared.db.models import SiteRow

router = APIRouter(include_in_schema=False)


def _show(request: Request, user: PageUser, session: Session, template: str) -> Response:
    q = request.query_params
    staff = user.staff
    sites = list(session.execute(select(SiteRow.code, SiteRow.name).order_by(SiteRow.code)))
    if not staff.is_admin:
        sites = [s for s in sites if s.code == staff.site]
    context: dict[str, Any] = {
        "user": staff,
        "csrf_token": user.csrf_token,
        "sites": sites,
        "asked": {k: (q.get(k) or "")[:64] for k in ("from", "to", "site")},
        "error": None,
        "found": None,
        "period": None,
        "site": None,
        # The periods a report is usually for, one click each, for the site asked for.
        "presets": [
            (key, _query(period, q.get("site") or "")) for key, period in presets(service.today())
        ],
    }
    try:
        period = service.period_of(q.get("from"), q.get("to"))
        site = service.site_scope(session, staff, q.get("site"))
    except PeriodError as exc:
        context["error"] = str(exc)
        return page(request, "statistics.html.j2", 422, preferred=staff.language, **context)
    except service.NotYourSiteError as exc:
        context["error"] = str(exc)
        return page(request, "statistics.html.j2", 403, preferred=staff.language, **context)
    found = service.statistics(session.connection(), period, site)
    language, _ = ui_language(request, staff.language)
    gettext = translations(language).gettext
    names = read_names(session)
    query = _query(period, site or "")
    context.update(
        found=found,
        period=period,
        site=site,
        site_name=names.sites.get(site, site) if site else None,
        figures=view.key_figures(found, gettext),
        breakdowns=view.breakdowns(found, names, language, gettext),
        durations=view.durations(found, gettext),
        query=query,
        generated=service.today(),
    )
    return page(request, template, preferred=staff.language, **context)


def _query(period: Period, site: str) -> str:
    return urlencode(
        {"from": period.start.isoformat(), "to": period.end.isoformat(), "site": site[:64]}
    )


@router.get("/statistics")
def statistics_page(request: Request, user: PageStaff, session: DeskSession) -> Response:
    return _show(request, user, session, "statistics.html.j2")


@router.get("/statistics/report")
def statistics_report(request: Request, user: PageStaff, session: DeskSession) -> Response:
    return _show(request, user, session, "statistics_report.html.j2")
