"""The administrators' privacy pages: one person's data found, exported (a ZIP) and erased;
the audit log. For anyone else they do not exist (404). Every form is a POST with its
CSRF token, so that no address ever stands in a URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.desk import audit as desk_audit
from services.desk import csrf
from services.desk.deps import Desk, DeskSession, PageStaff, PageUser
from services.desk.pages.forms import read_form, to_int
from services.desk.privacy.document import Keeping
from services.desk.privacy.erasure import erase_person, preview
from services.desk.privacy.export import build_export
from services.desk.privacy.find import NotAnAddressError, NotAPhoneError, Person, find_person
from services.desk.privacy.package import archive
from services.desk.privacy.reasons import REASONS
from services.desk.runtime import DeskRuntime
from services.desk.views import page
from shared.db.engine import checkpoint
from shared.db.models import utcnow
from shared.privacy import audit

router = APIRouter(include_in_schema=False)
log = structlog.get_logger(__name__)
PAGE_SIZE = 100


def _page(
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


def _hidden(request: Request, user: PageUser) -> Response | None:
    """Not an administrator: the page does not exist for them."""
    if user.staff.is_admin:
        return None
    return _page(request, user, "not_found.html.j2", 404, reference="")


def _checked(
    request: Request, user: PageUser, desk: DeskRuntime, form: dict[str, str]
) -> Response | None:
    try:
        csrf.check(desk.settings.secret_key, user.signed.session_id, form.get(csrf.FIELD))
    except csrf.CsrfError:
        return _page(request, user, "error.html.j2", 400, message="token")
    return None


def _person(form: dict[str, str]) -> Person | str:
    try:
        return Person.parse(form.get("email", "")[:300], form.get("phone", "")[:60] or None)
    except (NotAnAddressError, NotAPhoneError) as exc:
        return str(exc)


def _privacy_page(request: Request, user: PageUser, status: int = 200, **context: Any) -> Response:
    values = {"reasons": REASONS, "form": {}, "problem": None, "found": None, "erased": None}
    return _page(request, user, "privacy.html.j2", status, **{**values, **context})


@router.get("/staff/privacy")
def privacy_form(request: Request, user: PageStaff) -> Response:
    return _hidden(request, user) or _privacy_page(request, user)


async def _posted(
    request: Request, user: PageUser, desk: DeskRuntime
) -> tuple[dict[str, str], Person] | Response:
    """The form and the person it names, or the page that answers instead."""
    form = await read_form(request)
    refused = _hidden(request, user) or _checked(request, user, desk, form)
    if refused is not None:
        return refused
    person = _person(form)
    if isinstance(person, str):
        return _privacy_page(request, user, 400, form=form, problem=person)
    return form, person


@router.post("/staff/privacy/find")
async def privacy_find(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    posted = await _posted(request, user, desk)
    if isinstance(posted, Response):
        return posted
    form, person = posted
    found = preview(session, person=person)
    return _privacy_page(request, user, form=form, found=found)


@router.post("/staff/privacy/export")
async def privacy_export(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    posted = await _posted(request, user, desk)
    if isinstance(posted, Response):
        return posted
    form, person = posted
    session.commit()
    with session.begin():
        found = find_person(session, person)
        if found.empty:
            return _privacy_page(request, user, form=form, found=preview(session, person=person))
        made = build_export(
            session, person=person, found=found, actor=desk_audit.actor(user.staff, via="page")
        )
    settings = desk.settings
    zipped = archive(made, Keeping(settings.retention_days, settings.raw_mail_retention_days))
    log.info("person_exported", cases=len(found.cases))
    name = f"welcomedesk-export-{utcnow():%Y%m%dT%H%M%S}.zip"
    return Response(
        zipped,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.post("/staff/privacy/erase")
async def privacy_erase(
    request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    posted = await _posted(request, user, desk)
    if isinstance(posted, Response):
        return posted
    form, person = posted
    reason = form.get("reason", "")
    if reason not in REASONS or form.get("confirm") != "yes":
        problem = "reason" if reason not in REASONS else "confirm"
        found = preview(session, person=person)
        return _privacy_page(request, user, 400, form=form, found=found, problem=problem)
    session.commit()
    with session.begin():
        erased = erase_person(
            session,
            person=person,
            reason=reason,
            actor=desk_audit.actor(user.staff, via="page"),
        )
    checkpoint(desk.engine)
    log.info("person_erased", cases=len(erased.references), reason=reason)
    return _privacy_page(request, user, erased=erased)


def _since(text: str | None) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _query(session: Session, params: dict[str, str]) -> tuple[audit.Query, str | None]:
    """The filters asked for; the problem when one names nothing."""
    offset = (max(1, to_int(params.get("page")) or 1) - 1) * PAGE_SIZE
    try:
        query = audit.query_for(
            session.connection(),
            reference=params.get("case"),
            staff_email=params.get("staff"),
            since=_since(params.get("since")),
            limit=PAGE_SIZE + 1,
            offset=offset,
        )
    except audit.NoSuchFilterError as exc:
        return audit.Query(offset=offset), str(exc.args[0])
    return query, None


@router.get("/staff/audit")
def audit_page(request: Request, user: PageStaff, session: DeskSession) -> Response:
    hidden = _hidden(request, user)
    if hidden is not None:
        return hidden
    params = dict(request.query_params)
    query, problem = _query(session, params)
    entries = [] if problem else audit.read(session.connection(), query)
    return _page(
        request,
        user,
        "audit.html.j2",
        400 if problem else 200,
        entries=entries[:PAGE_SIZE],
        more=len(entries) > PAGE_SIZE,
        page_number=query.offset // PAGE_SIZE + 1,
        filters={k: params.get(k, "") for k in ("case", "staff", "since")},
        problem=problem,
    )
