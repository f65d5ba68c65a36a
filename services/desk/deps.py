"""Who is asking, once per request: `CurrentStaff` for the API (a session cookie or a
manager's bearer token), `PageStaff` for pages (a session, else off to sign in)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Final
from urllib.parse import quote

from anyio import CancelScope, to_thread
from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from services.desk import csrf
from services.desk.runtime import DeskRuntime
from services.desk.signin import SignedIn, signed_in, staff_for_api_token
from services.desk.staff import Staff

SESSION_COOKIE: Final = "wd_staff"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_desk(request: Request) -> DeskRuntime:
    desk: DeskRuntime = request.app.state.desk
    return desk


Desk = Annotated[DeskRuntime, Depends(get_desk)]


async def get_session(desk: Desk) -> AsyncIterator[Session]:
    """The request's session: made on the event loop, as it touches no database until
    its first query (in the thread that runs it), and closed in a worker thread, which
    hands its connection back, once the answer is sent. A sync dependency would cost
    a trip to a worker thread before the request's work even starts."""
    session = desk.sessions()
    try:
        yield session
    finally:
        with CancelScope(shield=True):  # a client gone away still frees the connection
            await to_thread.run_sync(session.close)


DeskSession = Annotated[Session, Depends(get_session)]


class SignInRequiredError(Exception):
    """A page needs a signed-in person: the handler sends the browser to sign in."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def sign_in_url(next_path: str) -> str:
    return f"/staff/sign-in?next={quote(next_path, safe='/')}"


def _next_path(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


def session_of(request: Request, session: Session, desk: DeskRuntime) -> SignedIn | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return signed_in(session, token=token, policy=desk.policy)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401,
            "use Authorization: Bearer <token> with a manager's API token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def current_staff(request: Request, session: DeskSession, desk: Desk) -> Staff:
    """The API's caller: a manager's token, else a signed-in browser (whose changes carry
    the X-CSRF-Token header, as a form carries its field)."""
    token = _bearer(request)
    if token is not None:
        staff = staff_for_api_token(session, token)
        if staff is None:
            raise HTTPException(
                401, "this API token is not valid", headers={"WWW-Authenticate": "Bearer"}
            )
        return staff
    found = session_of(request, session, desk)
    if found is None or not found.verified:
        raise HTTPException(
            401,
            "sign in at /staff/sign-in, or send a manager's API token as Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if request.method not in SAFE_METHODS:
        try:
            csrf.check(desk.settings.secret_key, found.session_id, request.headers.get(csrf.HEADER))
        except csrf.CsrfError as exc:
            raise HTTPException(400, "missing or wrong X-CSRF-Token header") from exc
    return found.staff


CurrentStaff = Annotated[Staff, Depends(current_staff)]


@dataclass(frozen=True)
class PageUser:
    staff: Staff
    csrf_token: str
    signed: SignedIn


def page_user(request: Request, session: DeskSession, desk: Desk) -> PageUser:
    found = session_of(request, session, desk)
    if found is None:
        raise SignInRequiredError(sign_in_url(_next_path(request)))
    if not found.verified:
        raise SignInRequiredError("/staff/two-factor")
    if (
        found.staff.is_admin
        and desk.settings.require_2fa
        and not found.row.totp_enabled
        and not request.url.path.startswith("/staff/two-factor")
    ):
        raise SignInRequiredError("/staff/two-factor/setup")
    return PageUser(found.staff, csrf.token_for(desk.settings.secret_key, found.session_id), found)


PageStaff = Annotated[PageUser, Depends(page_user)]
