"""What the pages that edit (the administrators' pages and a manager's own page) share:
only administrators get the administrators' pages (a manager gets 403 and a page that
says so; someone not signed in is sent to sign in), every form's CSRF token is checked,
and every change runs as one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from services.desk import csrf
from services.desk.deps import PageStaff, PageUser
from services.desk.pages.forms import read_form_lists
from services.desk.runtime import DeskRuntime
from services.desk.views import page

T = TypeVar("T")
Form = dict[str, list[str]]


class AdminOnlyPageError(Exception):
    """A signed-in person who is not an administrator asked for an administrators' page."""

    def __init__(self, user: PageUser) -> None:
        super().__init__("administrators only")
        self.user = user


def admin_user(user: PageStaff) -> PageUser:
    if not user.staff.is_admin:
        raise AdminOnlyPageError(user)
    return user


AdminPage = Annotated[PageUser, Depends(admin_user)]


async def admin_only(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AdminOnlyPageError)
    return render(request, exc.user, "admin_only.html.j2", 403)


def render(
    request: Request, user: PageUser, template: str, status: int = 200, **context: Any
) -> Response:
    return page(
        request,
        template,
        status,
        preferred=user.staff.language,
        user=user.staff,
        csrf_token=user.csrf_token,
        **context,
    )


class FormRefusedError(Exception):
    """A posted form without its CSRF token, or with another browser's."""

    def __init__(self, user: PageUser) -> None:
        super().__init__("form token")
        self.user = user


async def form_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FormRefusedError)
    return render(request, exc.user, "error.html.j2", 400, message="token")


async def posted_form(request: Request, desk: DeskRuntime, user: PageUser) -> Form:
    """The posted form, every value of each field, once its CSRF token is checked."""
    form = await read_form_lists(request)
    try:
        csrf.check(desk.settings.secret_key, user.signed.session_id, value(form, csrf.FIELD))
    except csrf.CsrfError as exc:
        raise FormRefusedError(user) from exc
    return form


def value(form: Form, name: str) -> str:
    """A field's value (the last one, if sent twice), without surrounding spaces."""
    return (form.get(name) or [""])[-1].strip()


def _in_transaction(session: Session, run: Callable[[Session], T]) -> T:
    with session.begin():
        return run(session)


async def change(session: Session, run: Callable[[Session], T]) -> T:
    """Runs one use case in one transaction, off the event loop."""
    session.commit()  # end the transaction the sign-in check opened
    return await run_in_threadpool(_in_transaction, session, run)
