"""A manager's own page: their load (open cases against the capacity) and their absences,
which they keep themselves; routing leaves them out on those days from the next enquiry."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from services.desk.admin.directory import entry_values, open_cases, save_own_absences
from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError
from services.desk.admin.fields import EMPTY_ROWS, date_rows
from services.desk.deps import Desk, DeskSession, PageStaff, PageUser
from services.desk.pages.edits import change, posted_form, render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    user: PageUser,
    session: Session,
    status: int = 200,
    *,
    absences: list[dict[str, str]] | None = None,
    error: InvalidEntryError | None = None,
) -> Response:
    manager = None
    if user.staff.manager_id is not None:
        try:
            manager = entry_values(session, "managers", user.staff.manager_id)
        except EntryNotFoundError:
            manager = None
    return render(
        request,
        user,
        "me.html.j2",
        status,
        manager=manager,
        open_cases=open_cases(session).get(user.staff.manager_id or "", 0),
        absences=absences if absences is not None else (manager or {}).get("absences", []),
        empty_rows=EMPTY_ROWS,
        errors=error.fields if error else {},
        problems=error.general if error else [],
        done=request.query_params.get("done") == "saved",
    )


@router.get("/me")
def me_page(request: Request, user: PageStaff, session: DeskSession) -> Response:
    return _page(request, user, session)


@router.post("/me/absences")
async def me_absences(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    form = await posted_form(request, desk, user)
    absences = date_rows(form, "absences")
    try:
        await change(session, lambda s: save_own_absences(s, staff=user.staff, absences=absences))
    except InvalidEntryError as exc:
        return _page(request, user, session, 422, absences=absences, error=exc)
    except EntryNotFoundError:
        return _page(request, user, session, 404)
    return RedirectResponse("/me?done=saved", status_code=303)
