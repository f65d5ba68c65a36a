"""Sign-in, the second factor, sign-out and the one-time link to set a password."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import segno
import structlog
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from services.desk import accounts, audit, csrf, signin
from services.desk.deps import (
    SESSION_COOKIE,
    Desk,
    DeskSession,
    PageStaff,
    SignInRequiredError,
    session_of,
    sign_in_url,
)
from services.desk.pages.forms import read_form, safe_next
from services.desk.runtime import DeskRuntime
from services.desk.views import page

router = APIRouter(include_in_schema=False)
log = structlog.get_logger(__name__)
# Where signing out and setting a password lead: the sign-in page, saying what was done.
SIGN_IN_NOTICES = ("signed_out", "password_set")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _pre_session(request: Request) -> tuple[str, bool]:
    value = request.cookies.get(csrf.PRE_SESSION_COOKIE, "")
    if 16 <= len(value) <= 64:
        return value, False
    return csrf.new_pre_session(), True


def _anonymous_page(
    request: Request, desk: DeskRuntime, template: str, status: int = 200, **context: Any
) -> Response:
    """A page for someone not signed in, its form's token bound to a pre-session cookie."""
    bound, new = _pre_session(request)
    response = page(
        request,
        template,
        status,
        csrf_token=csrf.token_for(desk.settings.secret_key, bound),
        user=None,
        **context,
    )
    if new:
        response.set_cookie(
            csrf.PRE_SESSION_COOKIE,
            bound,
            httponly=True,
            samesite="lax",
            secure=desk.secure_cookies,
        )
    return response


def _anonymous_token_ok(request: Request, desk: DeskRuntime, form: dict[str, str]) -> bool:
    try:
        csrf.check(
            desk.settings.secret_key,
            request.cookies.get(csrf.PRE_SESSION_COOKIE),
            form.get(csrf.FIELD),
        )
    except csrf.CsrfError:
        return False
    return True


def _set_session_cookie(response: Response, desk: DeskRuntime, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=desk.secure_cookies,
        path="/",
    )


@router.get("/staff")
def staff_home() -> RedirectResponse:
    return RedirectResponse("/cases", status_code=303)


@router.get("/staff/sign-in")
def sign_in_form(request: Request, desk: Desk, session: DeskSession) -> Response:
    target = safe_next(request.query_params.get("next"))
    found = session_of(request, session, desk)
    if found is not None and found.verified:
        return RedirectResponse(target, status_code=303)
    said = next((n for n in SIGN_IN_NOTICES if request.query_params.get(n)), None)
    return _anonymous_page(
        request, desk, "sign_in.html.j2", next=target, email="", error=None, notice=said
    )


def _limited(desk: DeskRuntime, email: str, address: str) -> bool:
    account = ("desk-sign-in-account", email.strip().lower()[:254])
    where = ("desk-sign-in-address", address)
    return not (
        desk.limiter.test(desk.per_account, *account)
        and desk.limiter.test(desk.per_address, *where)
    )


def _count_failure(desk: DeskRuntime, email: str, address: str) -> None:
    desk.limiter.hit(desk.per_account, "desk-sign-in-account", email.strip().lower()[:254])
    desk.limiter.hit(desk.per_address, "desk-sign-in-address", address)


@router.post("/staff/sign-in")
async def sign_in(request: Request, desk: Desk, session: DeskSession) -> Response:
    form = await read_form(request)
    target = safe_next(form.get("next"))
    email = form.get("email", "")[:254]
    here = sign_in_url(target)
    if not _anonymous_token_ok(request, desk, form):
        return _anonymous_page(
            request,
            desk,
            "sign_in.html.j2",
            400,
            next=target,
            email=email,
            error="token",
            here=here,
        )
    address = _client(request)
    if _limited(desk, email, address):
        log.info("sign_in_limited")
        audit.sign_in_failed(session, staff_id=audit.account_id(session, email), why="limited")
        response = _anonymous_page(
            request,
            desk,
            "sign_in.html.j2",
            429,
            next=target,
            email=email,
            error="limited",
            here=here,
        )
        response.headers["Retry-After"] = "900"
        return response
    password = form.get("password", "")
    staff = await run_in_threadpool(signin.authenticate, session, email=email, password=password)
    if staff is None:
        _count_failure(desk, email, address)
        session.rollback()
        log.info("sign_in_failed")
        known = audit.account_id(session, email)
        why = "unknown_account" if known is None else "refused"  # wrong password, or disabled
        audit.sign_in_failed(session, staff_id=known, why=why)
        return _anonymous_page(
            request,
            desk,
            "sign_in.html.j2",
            401,
            next=target,
            email=email,
            error="wrong",
            here=here,
        )
    token = signin.start_session(session, staff=staff, verified=not staff.totp_enabled)
    if not staff.totp_enabled:  # with a second factor, signing in ends with the code
        audit.signed_in(session, staff.id, second_factor=False)
    session.commit()
    log.info("signed_in", staff_id=staff.id, second_factor=staff.totp_enabled)
    where = f"/staff/two-factor?next={quote(target)}" if staff.totp_enabled else target
    redirect = RedirectResponse(where, status_code=303)
    _set_session_cookie(redirect, desk, token)
    return redirect


def _pending(request: Request, session: DeskSession, desk: DeskRuntime) -> signin.SignedIn:
    found = session_of(request, session, desk)
    if found is None:
        raise SignInRequiredError("/staff/sign-in")
    return found


@router.get("/staff/two-factor")
def two_factor_form(request: Request, desk: Desk, session: DeskSession) -> Response:
    found = _pending(request, session, desk)
    target = safe_next(request.query_params.get("next"))
    if found.verified:
        return RedirectResponse(target, status_code=303)
    token = csrf.token_for(desk.settings.secret_key, found.session_id)
    return page(
        request,
        "two_factor.html.j2",
        csrf_token=token,
        user=None,
        next=target,
        error=None,
        preferred=found.staff.language,
    )


@router.post("/staff/two-factor")
async def two_factor(request: Request, desk: Desk, session: DeskSession) -> Response:
    found = _pending(request, session, desk)
    form = await read_form(request)
    target = safe_next(form.get("next"))

    def refused(status: int, error: str) -> Response:
        return page(
            request,
            "two_factor.html.j2",
            status,
            csrf_token=csrf.token_for(desk.settings.secret_key, found.session_id),
            user=None,
            next=target,
            error=error,
            preferred=found.staff.language,
            here=f"/staff/two-factor?next={quote(target)}",
        )

    try:
        csrf.check(desk.settings.secret_key, found.session_id, form.get(csrf.FIELD))
    except csrf.CsrfError:
        return refused(400, "token")
    address = _client(request)
    if _limited(desk, found.staff.email, address):
        audit.sign_in_failed(session, staff_id=found.staff.id, why="limited")
        return refused(429, "limited")
    if not signin.check_code(found.row, form.get("code", "")[:20]):
        _count_failure(desk, found.staff.email, address)
        audit.sign_in_failed(session, staff_id=found.staff.id, why="wrong_code")
        log.info("second_factor_failed", staff_id=found.staff.id)
        return refused(401, "wrong")
    signin.verify_session(session, session_id=found.session_id)
    if found.staff.id is not None:
        audit.signed_in(session, found.staff.id, second_factor=True)
    session.commit()
    return RedirectResponse(target, status_code=303)


def _enrolment_page(
    request: Request,
    user: PageStaff,
    desk: DeskRuntime,
    session: DeskSession,
    status: int = 200,
    error: str | None = None,
) -> Response:
    row = user.signed.row
    if row.totp_secret is None or row.totp_enabled:
        signin.begin_enrolment(row)
        session.commit()
    uri = signin.provisioning_uri(row)
    return page(
        request,
        "two_factor_setup.html.j2",
        status,
        user=user.staff,
        csrf_token=user.csrf_token,
        secret=row.totp_secret,
        qr=segno.make(uri, error="m").svg_inline(scale=4, dark="#1a1a1a"),
        uri=uri,
        enabled=row.totp_enabled,
        error=error,
    )


@router.get("/staff/two-factor/setup")
def two_factor_setup(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    return _enrolment_page(request, user, desk, session)


@router.post("/staff/two-factor/setup")
async def two_factor_confirm(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    form = await read_form(request)
    try:
        csrf.check(desk.settings.secret_key, user.signed.session_id, form.get(csrf.FIELD))
    except csrf.CsrfError:
        return _enrolment_page(request, user, desk, session, 400, "token")
    row = user.signed.row
    if row.totp_secret is None or not signin.confirm_enrolment(row, form.get("code", "")[:20]):
        session.commit()
        return _enrolment_page(request, user, desk, session, 400, "wrong")
    session.commit()
    log.info("second_factor_enrolled", staff_id=row.id)
    return RedirectResponse("/cases?done=two_factor", status_code=303)


@router.post("/staff/sign-out")
async def sign_out(request: Request, desk: Desk, session: DeskSession) -> Response:
    form = await read_form(request)
    found = session_of(request, session, desk)
    if found is not None:
        try:
            csrf.check(desk.settings.secret_key, found.session_id, form.get(csrf.FIELD))
        except csrf.CsrfError:
            return page(request, "error.html.j2", 400, user=None, message="token", here="/cases")
        signin.end_session(session, token=request.cookies.get(SESSION_COOKIE, ""))
        session.commit()
    response = RedirectResponse("/staff/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/staff/password/{token}")
def password_form(token: str, request: Request, desk: Desk, session: DeskSession) -> Response:
    staff = accounts.account_for_link(session, token)
    if staff is None:
        return _anonymous_page(request, desk, "password.html.j2", 404, valid=False, error=None)
    return _anonymous_page(
        request, desk, "password.html.j2", valid=True, email=staff.email, error=None
    )


@router.post("/staff/password/{token}")
async def set_password(token: str, request: Request, desk: Desk, session: DeskSession) -> Response:
    form = await read_form(request)
    staff = accounts.account_for_link(session, token)
    if staff is None:
        return _anonymous_page(request, desk, "password.html.j2", 404, valid=False, error=None)
    if not _anonymous_token_ok(request, desk, form):
        return _anonymous_page(
            request, desk, "password.html.j2", 400, valid=True, email=staff.email, error="token"
        )
    password, again = form.get("password", ""), form.get("password_again", "")
    if password != again:
        return _anonymous_page(
            request,
            desk,
            "password.html.j2",
            400,
            valid=True,
            email=staff.email,
            error="mismatch",
        )
    try:
        await run_in_threadpool(
            accounts.set_password_by_link, session, token=token, password=password
        )
    except accounts.AccountError as exc:
        session.rollback()
        return _anonymous_page(
            request,
            desk,
            "password.html.j2",
            400,
            valid=True,
            email=staff.email,
            error=exc.message,
        )
    session.commit()
    log.info("password_set", staff_id=staff.id)
    return RedirectResponse("/staff/sign-in?password_set=1", status_code=303)
