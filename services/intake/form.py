"""The public web form: plain HTML that works on a phone, without JavaScript, in every language
the region's enquirers write in.

GET / shows the form; POST / stores the enquiry through the same service function
as the API and redirects (303) to /thanks/{status_token}, or shows the form again
with the entered values and a message next to each field that needs one. The
relay process publishes the enquiry's event after commit, as for the API.
"""

from __future__ import annotations

from typing import Annotated, Final

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from services.intake import csrf, form_errors, languages, pages, service
from services.intake.deps import CorrelationIdDep, RuntimeDep, retry_after
from services.intake.form_input import HONEYPOT, LANGUAGE, TOKEN, Submission, blank
from services.intake.form_input import read_submission as read_fields
from services.intake.middleware import BodyTooLargeError
from shared import consent
from shared.metrics import ENQUIRIES_RECEIVED

router = APIRouter(include_in_schema=False)
log = structlog.get_logger()

STATIC: Final = languages.HERE / "static"


def _guard(request: Request) -> csrf.FormGuard:
    return csrf.FormGuard(request.app.state.runtime.settings.secret_key)


def _form_page(
    request: Request,
    choice: languages.Choice,
    submission: Submission,
    *,
    status: int = 200,
    problem: form_errors.FormProblem | None = None,
) -> Response:
    """The form, with a fresh token bound to this browser's cookie (set here if it is new)."""
    browser_id = request.cookies.get(csrf.COOKIE) or ""
    new_browser = not browser_id or len(browser_id) > 100
    if new_browser:
        browser_id = csrf.FormGuard.new_browser_id()
    t = languages.translations(choice.language)
    response = pages.page(
        choice,
        "form.html.j2",
        status,
        values=submission.values,
        checked=submission.checked,
        errors=form_errors.describe_all(submission.errors, t),
        problem=form_errors.problem(problem, t) if problem else None,
        token=_guard(request).issue(browser_id),
        answer_languages=list(languages.answer_languages(choice.language)),
        consent=consent.text(consent.current_version(), choice.language),
    )
    if new_browser:
        response.set_cookie(
            csrf.COOKIE,
            browser_id,
            max_age=csrf.COOKIE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


@router.get("/", response_class=HTMLResponse)
def show_form(request: Request) -> Response:
    choice = pages.choice(request)
    return _form_page(request, choice, blank(answer_language=choice.language))


async def _read_form(request: Request) -> FormData | None:
    """The submitted fields (files among them are closed, and refused as values), or None
    when the body is not a readable form."""
    try:
        async with request.form(max_files=5, max_fields=100) as form:
            return form
    except BodyTooLargeError:
        raise  # 413, as for any body over the limit
    except (StarletteHTTPException, MultiPartException):  # Starlette's answer would be JSON
        return None


@router.post("/", response_class=HTMLResponse)
async def submit_form(
    request: Request,
    runtime: RuntimeDep,
    correlation_id: CorrelationIdDep,
    wait: Annotated[str | None, Depends(retry_after)],
) -> Response:
    form = await _read_form(request)
    if form is None:
        choice = pages.choice(request)
        return _form_page(
            request,
            choice,
            blank(answer_language=choice.language),
            status=400,
            problem="unreadable",
        )
    lang_field = form.get(LANGUAGE)
    choice = pages.choice(request, given=lang_field if isinstance(lang_field, str) else None)
    if form.get(HONEYPOT):
        log.info("form_honeypot_filled")
        return RedirectResponse(f"/thanks?lang={choice.language}", status_code=303)
    site = form.get("preferred_site")
    sites = await run_in_threadpool(
        runtime.sites.codes, wanted=site if isinstance(site, str) else None
    )
    submission = read_fields(form, sites=sites)
    if wait is not None:
        page = _form_page(request, choice, submission, status=429, problem="too_many")
        page.headers["Retry-After"] = wait
        return page
    token = form.get(TOKEN)
    try:
        nonce = _guard(request).check(
            token if isinstance(token, str) else None, request.cookies.get(csrf.COOKIE)
        )
    except csrf.TokenError as exc:
        log.info("form_token_refused", reason=str(exc))
        return _form_page(request, choice, submission, status=400, problem="token")
    if submission.data is None:
        return _form_page(request, choice, submission, status=400)
    try:
        received = await run_in_threadpool(
            service.receive_enquiry,
            runtime.engine,
            data=submission.data,
            channel="web",
            correlation_id=correlation_id,
            idempotency_key=csrf.idempotency_key(nonce),
        )
    except service.IdempotencyConflictError:
        return _form_page(request, choice, submission, status=400, problem="repeated")
    if not received.repeated:  # the relay process publishes its event once committed
        ENQUIRIES_RECEIVED.labels(channel="web").inc()
    return RedirectResponse(
        f"/thanks/{received.status_token}?lang={choice.language}", status_code=303
    )


@router.get("/favicon.ico")
def favicon() -> Response:
    # Asked for by every browser at this address; a PNG is welcome there.
    return FileResponse(STATIC / "favicon.png", media_type="image/png")
