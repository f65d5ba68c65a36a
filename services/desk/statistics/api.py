"""The statistics API: the figures as JSON or CSV and the cases as CSV, for a period and a
site, behind `CurrentStaff`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response, StreamingResponse

from services.desk.deps import CurrentStaff, Desk, DeskSession
from services.desk.statistics import service
from services.desk.statistics.period import Period, PeriodError

router = APIRouter(prefix="/api/v1", tags=["statistics"])

From = Annotated[
    str | None, Query(alias="from", max_length=40, description="first day, 2026-01-01")
]
To = Annotated[str | None, Query(alias="to", max_length=40, description="last day, inclusive")]
Site = Annotated[str | None, Query(max_length=64, description="a site's code; none: every site")]
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in, or not a valid manager's token"},
    403: {"description": "a manager asked for another site's statistics"},
    422: {"description": "a parameter is wrong (from after to, an unknown site); it is named"},
}
CSV = "text/csv; charset=utf-8"


def _problem(exc: Exception) -> JSONResponse:
    if isinstance(exc, PeriodError):
        detail = [{"loc": ["query", exc.parameter], "msg": exc.message, "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)
    return JSONResponse({"detail": str(exc)}, status_code=403)


def _scope(
    staff: CurrentStaff, session: DeskSession, start: str | None, end: str | None, site: str | None
) -> tuple[Period, str | None]:
    period = service.period_of(start, end)
    return period, service.site_scope(session, staff, site)


def _disposition(name: str, period: Period, site: str | None) -> dict[str, str]:
    stem = f"{name}-{site or 'all'}-{period.start.isoformat()}-{period.end.isoformat()}"
    return {"Content-Disposition": f'attachment; filename="{stem}.csv"'}


@router.get("/statistics", responses=_ERRORS)
def statistics(
    staff: CurrentStaff,
    session: DeskSession,
    start: From = None,
    end: To = None,
    site: Site = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response:
    """The figures of a period (default: the year so far) for a site or all."""
    try:
        period, scope = _scope(staff, session, start, end, site)
    except (PeriodError, service.NotYourSiteError) as exc:
        return _problem(exc)
    found = service.statistics(session.connection(), period, scope)
    if format == "csv":
        text = service.statistics_csv(found)
        return Response(text, media_type=CSV, headers=_disposition("statistics", period, scope))
    return JSONResponse(found)


@router.get("/statistics.csv", responses=_ERRORS)
def statistics_csv(
    staff: CurrentStaff, session: DeskSession, start: From = None, end: To = None, site: Site = None
) -> Response:
    """The same figures as CSV: figure, key, value."""
    return statistics(staff, session, start, end, site, "csv")


@router.get("/statistics/cases.csv", responses=_ERRORS)
def cases_csv(
    staff: CurrentStaff,
    session: DeskSession,
    desk: Desk,
    start: From = None,
    end: To = None,
    site: Site = None,
) -> Response:
    """One row per case received in the period, no personal data, streamed."""
    try:
        period, scope = _scope(staff, session, start, end, site)
    except (PeriodError, service.NotYourSiteError) as exc:
        return _problem(exc)

    def chunks() -> Iterator[bytes]:
        # Its own connection: the request's session ends before the body is streamed.
        with desk.sessions() as own:
            yield from service.cases_csv(own.connection(), period, scope)

    return StreamingResponse(chunks(), media_type=CSV, headers=_disposition("cases", period, scope))
