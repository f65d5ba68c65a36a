"""The case pages: lists (mine, triage, all, search), the case page, and one plain form
per action. Each handler parses the form, calls the same service function as the JSON
API, and renders or redirects."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

import structlog
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from services.desk import audit, csrf, labels
from services.desk.cases import corrections, lifecycle, replies
from services.desk.cases.detail import read_case
from services.desk.cases.errors import CaseError, CaseNotFoundError, StaleVersionError
from services.desk.cases.listing import VIEWS, Filters, View, list_cases
from services.desk.deps import Desk, DeskSession, PageStaff, PageUser
from services.desk.pages.forms import read_form, read_form_with_files, to_int
from services.desk.reply_templates.offer import offered_templates
from services.desk.runtime import DeskRuntime
from services.desk.staff import Staff
from services.desk.views import page, ui_language
from shared.vocabulary import CASE_STATUSES, CHANNELS, OUTCOMES, REGION_LANGUAGES, TOPICS

router = APIRouter(include_in_schema=False)
log = structlog.get_logger(__name__)


def _filters(request: Request) -> Filters:
    q = request.query_params
    interpreter = q.get("needs_interpreter")
    return Filters(
        status=q.get("status") if q.get("status") in CASE_STATUSES else None,
        language=q.get("language") if q.get("language") in REGION_LANGUAGES else None,
        topic=q.get("topic") if q.get("topic") in TOPICS else None,
        channel=q.get("channel") if q.get("channel") in CHANNELS else None,
        requester_type=q.get("requester_type")
        if q.get("requester_type") in ("worker", "employer")
        else None,
        needs_interpreter={"yes": True, "no": False}.get(interpreter or ""),
        q=(q.get("q") or "").replace("\x00", "")[:200] or None,
    )


@router.get("/cases")
def case_list(request: Request, user: PageStaff, session: DeskSession) -> Response:
    default: View = "mine" if user.staff.manager_id else "all"
    asked = request.query_params.get("view")
    view = next((v for v in VIEWS if v == asked), default)
    filters = _filters(request)
    listed = list_cases(
        session,
        staff=user.staff,
        view=view,
        filters=filters,
        page=to_int(request.query_params.get("page")) or 1,
    )
    return page(
        request,
        "cases.html.j2",
        preferred=user.staff.language,
        user=user.staff,
        csrf_token=user.csrf_token,
        listed=listed,
        filters=filters,
        query=urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "done")]
        ),
        statuses=CASE_STATUSES,
        channels=CHANNELS,
        topics=TOPICS,
        languages=REGION_LANGUAGES,
        done=request.query_params.get("done"),
    )


def _case_page(
    request: Request,
    user: PageUser,
    session: Session,
    reference: str,
    *,
    status: int = 200,
    error: CaseError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    # The case page's own address, also for the answer to one of its forms.
    here = f"/cases/{quote(reference[:32], safe='')}"
    try:
        language, _ = ui_language(request, user.staff.language)
        case = read_case(session, staff=user.staff, reference=reference, language=language)
    except CaseNotFoundError:
        return page(
            request,
            "not_found.html.j2",
            404,
            preferred=user.staff.language,
            here=here,
            user=user.staff,
            csrf_token=user.csrf_token,
            reference=reference[:32],
        )
    audit.read(session, audit.actor(user.staff, via="page"), case.reference)
    done = request.query_params.get("done")
    # The reply form's templates; ?template=KEY fills the reply box (no script needed).
    offered = offered_templates(session, staff=user.staff, reference=reference)
    return page(
        request,
        "case.html.j2",
        status,
        preferred=user.staff.language,
        here=here,
        user=user.staff,
        csrf_token=user.csrf_token,
        case=case,
        outcomes=OUTCOMES,
        topics=TOPICS,
        languages=sorted({*REGION_LANGUAGES, *([case.language] if case.language else [])}),
        error=error,
        stale=isinstance(error, StaleVersionError),
        values=values or {},
        done=done if done in labels.DONE else None,
        offered=offered,
        chosen=offered.chosen(request.query_params.get("template")),
    )


@router.get("/cases/{reference}")
def case_page(reference: str, request: Request, user: PageStaff, session: DeskSession) -> Response:
    return _case_page(request, user, session, reference)


Action = Callable[[Session, Staff, str, dict[str, str]], lifecycle.Changed]

ACTIONS: dict[str, Action] = {
    "accept": lambda s, staff, ref, f: lifecycle.accept(
        s, staff=staff, reference=ref, version=to_int(f.get("version"))
    ),
    "take": lambda s, staff, ref, f: lifecycle.take(
        s, staff=staff, reference=ref, version=to_int(f.get("version"))
    ),
    "reopen": lambda s, staff, ref, f: lifecycle.reopen(
        s, staff=staff, reference=ref, version=to_int(f.get("version"))
    ),
    "reassign": lambda s, staff, ref, f: lifecycle.reassign(
        s,
        staff=staff,
        reference=ref,
        version=to_int(f.get("version")),
        manager_id=f.get("manager_id") or None,
        reason=f.get("reason"),
    ),
    "referrals": lambda s, staff, ref, f: lifecycle.refer(
        s,
        staff=staff,
        reference=ref,
        partner_id=f.get("partner_id", ""),
        version=to_int(f.get("version")),
    ),
    "notes": lambda s, staff, ref, f: lifecycle.add_note(
        s, staff=staff, reference=ref, text=f.get("text")
    ),
    "understanding": lambda s, staff, ref, f: corrections.correct(
        s,
        staff=staff,
        reference=ref,
        version=to_int(f.get("version")),
        language=f.get("language") or None,
        requester_type=f.get("requester_type") or None,
        topics=[t for t in (f.get("topic_1"), f.get("topic_2"), f.get("topic_3")) if t] or None,
    ),
    "close": lambda s, staff, ref, f: lifecycle.close(
        s, staff=staff, reference=ref, version=to_int(f.get("version")), outcome=f.get("outcome")
    ),
}


def _run(
    session: Session, action: Action, staff: Staff, reference: str, form: dict[str, str]
) -> lifecycle.Changed:
    def audited() -> lifecycle.Changed:
        changed = action(session, staff, reference, form)
        audit.changed(session, audit.actor(staff, via="page"), changed.case.id, changed.done)
        return changed

    return lifecycle.committed(session, audited)


@router.post("/cases/{reference}/replies")
async def case_reply(
    reference: str, request: Request, user: PageStaff, desk: Desk, session: DeskSession
) -> Response:
    """The reply form: text, the case's version and files, as multipart/form-data."""
    limits = desk.file_limits
    form, files = await read_form_with_files(request, max_files=limits.count)
    uploads = [replies.Upload(name, kind, data) for name, kind, data in files]

    def run(s: Session, staff: Staff, ref: str, f: dict[str, str]) -> lifecycle.Changed:
        return replies.reply(
            s,
            staff=staff,
            reference=ref,
            version=to_int(f.get("version")),
            text=f.get("text"),
            uploads=uploads,
            limits=limits,
        )

    return await _act(request, user, desk, session, reference, "replies", form, run)


@router.post("/cases/{reference}/{action}")
async def case_action(
    reference: str,
    action: str,
    request: Request,
    user: PageStaff,
    desk: Desk,
    session: DeskSession,
) -> Response:
    form = await read_form(request)
    run = ACTIONS.get(action)
    if run is None:
        return await run_in_threadpool(_case_page, request, user, session, reference, status=404)
    return await _act(request, user, desk, session, reference, action, form, run)


async def _act(
    request: Request,
    user: PageUser,
    desk: DeskRuntime,
    session: Session,
    reference: str,
    action: str,
    form: dict[str, str],
    run: Action,
) -> Response:
    """Checks the form's token, runs the action in one transaction, and shows the case
    with what was done, or with why not."""
    try:
        csrf.check(desk.settings.secret_key, user.signed.session_id, form.get(csrf.FIELD))
    except csrf.CsrfError:
        return page(
            request,
            "error.html.j2",
            400,
            preferred=user.staff.language,
            user=user.staff,
            csrf_token=user.csrf_token,
            message="token",
            here=f"/cases/{quote(reference[:32], safe='')}",
        )
    # What waits for the database runs in a worker thread, never on the event loop.
    try:
        changed = await run_in_threadpool(_run, session, run, user.staff, reference, form)
    except CaseError as exc:
        log.info("case_action_refused", action=action, status=exc.status_code)
        return await run_in_threadpool(
            _case_page,
            request,
            user,
            session,
            reference,
            status=exc.status_code,
            error=exc,
            values=form,
        )
    log.info("case_changed", reference=changed.case.reference, action=changed.done)
    # The case may have left this person's sight (reassigned): then back to the list.
    still_visible = changed.done not in ("reassigned", "reassign_requested") or user.staff.is_admin
    target = f"/cases/{changed.case.reference}" if still_visible else "/cases"
    return RedirectResponse(f"{target}?done={changed.done}", status_code=303)
