"""Administrators' page for the staff accounts: the list, a new account (its one-time
link to set the password shown once, on the answer to the form), disabling one, and
changing an account's role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from services.desk import audit
from services.desk.accounts import NewAccount
from services.desk.admin.accounts import add_account, disable_account, read_accounts, set_role
from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError
from services.desk.deps import Desk, DeskSession, PageUser
from services.desk.pages.edits import AdminPage, change, posted_form, render, value
from shared.vocabulary import STAFF_ROLES

router = APIRouter(include_in_schema=False)
DONE = ("disabled", "role")
AccountId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request,
    user: PageUser,
    session: Session,
    status: int = 200,
    *,
    error: InvalidEntryError | None = None,
    values: dict[str, str] | None = None,
    link: str | None = None,
    done: str | None = None,
    account: int | None = None,
) -> Response:
    return render(
        request,
        user,
        "admin_staff.html.j2",
        status,
        view=read_accounts(session),
        roles=STAFF_ROLES,
        errors=error.fields if error else {},
        values=values or {},
        link=link,
        done=done if done in DONE else None,
        failed_account=account,
    )


@router.get("/admin/staff")
def staff_page(request: Request, user: AdminPage, session: DeskSession) -> Response:
    return _page(request, user, session, done=request.query_params.get("done"))


@router.post("/admin/staff")
async def staff_add(
    request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    form = await posted_form(request, desk, user)
    values = {name: value(form, name) for name in ("email", "role", "manager", "language")}
    hours = desk.settings.staff_link_hours
    try:

        def add(s: Session) -> NewAccount:
            made = add_account(
                s,
                staff=user.staff,
                email=values["email"],
                role=values["role"],
                manager_id=values["manager"] or None,
                language=values["language"],
                link_hours=hours,
            )
            audit.admin_changed(
                s,
                user.staff,
                "staff_account_changed",
                account=made.staff.id,
                role=made.staff.role,
                done="added",
            )
            return made

        made: NewAccount = await change(session, add)
    except InvalidEntryError as exc:
        return _page(request, user, session, 422, error=exc, values=values)
    # Shown once, on this answer only: the page is not cached (Cache-Control: no-store).
    link = f"{desk.settings.base_url.rstrip('/')}/staff/password/{made.link}"
    return _page(request, user, session, link=link, values={"made": made.staff.email})


async def _account_change(
    request: Request, user: PageUser, desk: Desk, session: Session, account_id: int, what: str
) -> Response:
    form = await posted_form(request, desk, user)
    try:

        def disable(s: Session) -> None:
            disable_account(s, staff=user.staff, account_id=account_id)
            audit.admin_changed(
                s, user.staff, "staff_account_changed", account=account_id, done="disabled"
            )

        role, manager = value(form, "role"), value(form, "manager")

        def change_role(s: Session) -> None:
            set_role(s, staff=user.staff, account_id=account_id, role=role, manager_id=manager)
            audit.admin_changed(
                s,
                user.staff,
                "staff_account_changed",
                account=account_id,
                role=role,
                done="role",
            )

        await change(session, disable if what == "disabled" else change_role)
    except InvalidEntryError as exc:
        return _page(request, user, session, 422, error=exc, account=account_id)
    except EntryNotFoundError:
        return render(request, user, "admin_missing.html.j2", 404, what="account", key="")
    return RedirectResponse(f"/admin/staff?done={what}", status_code=303)


@router.post("/admin/staff/{account_id}/disable")
async def staff_disable(
    account_id: AccountId, request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    return await _account_change(request, user, desk, session, account_id, "disabled")


@router.post("/admin/staff/{account_id}/role")
async def staff_role(
    account_id: AccountId, request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    return await _account_change(request, user, desk, session, account_id, "role")
