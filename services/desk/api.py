"""The staff JSON API: the same service functions as the pages, behind `CurrentStaff`.

Every change takes the case's version (If-Match, or `version` in the body) and answers
409 when the case changed meanwhile; a case the caller may not see answers 404.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Annotated, Any, Protocol

import structlog
from fastapi import APIRouter, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from services.desk import audit, csrf
from services.desk.audit import ApiActor
from services.desk.cases import corrections, lifecycle, replies
from services.desk.cases.detail import CaseDetail, read_case
from services.desk.cases.errors import CaseError, InvalidInputError
from services.desk.cases.listing import CasePage, Filters, View, list_cases
from services.desk.cases.replies import Upload
from services.desk.deps import CurrentStaff, Desk, DeskSession, session_of
from services.desk.schemas import (
    CaseChange,
    CloseBody,
    CorrectionBody,
    NoteBody,
    ReassignBody,
    ReferralBody,
    ReferralCreated,
    ReplyBody,
    StaffRead,
    VersionBody,
)
from services.desk.staff import Staff
from shared.vocabulary import (
    CASE_STATUSES,
    CHANNELS,
    REGION_LANGUAGES,
    REQUESTER_TYPES,
    TOPICS,
)

router = APIRouter(prefix="/api/v1", tags=["staff"])
log = structlog.get_logger(__name__)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in, or not a valid manager's token"},
    404: {"description": "no such case, or not the caller's to see"},
}
_CHANGE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    400: {"description": "a signed-in browser's change without its X-CSRF-Token"},
    403: {"description": "the case may be seen but not changed by the caller"},
    409: {"description": "the case changed since that version, or the action does not fit"},
    422: {"description": "a field is missing or wrong; the answer names it"},
    428: {"description": "no version given"},
}
Reference = Annotated[str, "the case's reference, such as WC-2026-000123"]


class SimpleAction(Protocol):
    def __call__(
        self, session: Session, *, staff: Staff, reference: str, version: int | None
    ) -> lifecycle.Changed: ...


IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=40)]


def case_error_response(exc: CaseError) -> JSONResponse:
    if isinstance(exc, InvalidInputError) and exc.field:
        detail: Any = [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return JSONResponse(body, status_code=exc.status_code)


def _version(if_match: str | None, body_version: int | None) -> int | None:
    """If-Match ('3', '"3"' or 'W/"3"') first, else the body's `version`."""
    if if_match is not None:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if not tag.isdigit() or len(tag) > 10:
            raise InvalidInputError('If-Match: a case version such as "3"', field="If-Match")
        return int(tag)
    return body_version


def _change(
    session: Session,
    who: ApiActor,
    run: Callable[[], lifecycle.Changed],
    status_code: int = 200,
) -> JSONResponse:
    try:

        def audited() -> lifecycle.Changed:
            done = run()
            audit.changed(session, who, done.case.id, done.done)
            return done

        changed = lifecycle.committed(session, audited)
    except CaseError as exc:
        return case_error_response(exc)
    case = changed.case
    log.info("case_changed", reference=case.reference, action=changed.done)
    answer = CaseChange(
        reference=str(case.reference),
        action=changed.done,
        status=case.status,
        version=case.version,
    )
    if changed.done == "reassign_requested":
        status_code = 202
    return JSONResponse(
        answer.model_dump(mode="json"),
        status_code=status_code,
        headers={"ETag": f'"{case.version}"'},
    )


def _one_of(name: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        detail = [
            {
                "loc": ["query", name],
                "msg": f"one of {', '.join(allowed)}",
                "type": "literal_error",
            }
        ]
        raise HTTPException(422, detail)
    return value


@router.get("/me", response_model=StaffRead, responses=_ERRORS)
def me(staff: CurrentStaff, request: Request, session: DeskSession, desk: Desk) -> StaffRead:
    signed = session_of(request, session, desk) if "authorization" not in request.headers else None
    token = csrf.token_for(desk.settings.secret_key, signed.session_id) if signed else None
    return StaffRead(
        email=staff.email,
        role=staff.role,
        manager_id=staff.manager_id,
        site=staff.site,
        name=staff.name,
        csrf_token=token,
    )


@router.get(
    "/cases",
    response_model=CasePage,
    responses={401: _ERRORS[401], 422: {"description": "a filter's value is not known"}},
)
def cases(
    staff: CurrentStaff,
    session: DeskSession,
    view: View | None = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    topic: Annotated[str | None, Query(max_length=32)] = None,
    channel: Annotated[str | None, Query(max_length=16)] = None,
    requester_type: Annotated[str | None, Query(max_length=16)] = None,
    needs_interpreter: bool | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> CasePage:
    filters = Filters(
        status=_one_of("status", status, CASE_STATUSES),
        language=_one_of("language", language, REGION_LANGUAGES),
        topic=_one_of("topic", topic, TOPICS),
        channel=_one_of("channel", channel, CHANNELS),
        requester_type=_one_of("requester_type", requester_type, REQUESTER_TYPES),
        needs_interpreter=needs_interpreter,
        q=q.replace("\x00", "") if q else None,
    )
    chosen: View = view or ("mine" if staff.manager_id else "all")
    return list_cases(session, staff=staff, view=chosen, filters=filters, page=page)


@router.get(
    "/cases/{reference}",
    response_model=CaseDetail,
    responses=_ERRORS,
)
def case(
    reference: Reference,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    response: Response,
) -> Any:
    try:
        found = read_case(session, staff=staff, reference=reference)
    except CaseError as exc:
        return case_error_response(exc)
    audit.read(session, who, found.reference)
    response.headers["ETag"] = f'"{found.version}"'
    return found


def _simple(name: str, action: SimpleAction) -> None:
    """accept, take and reopen: nothing but the version in the body."""

    def route(
        reference: Reference,
        staff: CurrentStaff,
        who: ApiActor,
        session: DeskSession,
        if_match: IfMatch = None,
        body: VersionBody | None = None,
    ) -> Any:
        version = body.version if body else None
        return _change(
            session,
            who,
            lambda: action(
                session, staff=staff, reference=reference, version=_version(if_match, version)
            ),
        )

    route.__name__ = name
    router.post(
        f"/cases/{{reference}}/{name}", response_model=CaseChange, responses=_CHANGE_ERRORS
    )(route)


for _name, _action in (
    ("accept", lifecycle.accept),
    ("take", lifecycle.take),
    ("reopen", lifecycle.reopen),
):
    _simple(_name, _action)


@router.post(
    "/cases/{reference}/reassign",
    response_model=CaseChange,
    responses={
        **_CHANGE_ERRORS,
        202: {"description": "the routing service picks the next manager"},
    },
)
def reassign(
    reference: Reference,
    body: ReassignBody,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    if_match: IfMatch = None,
) -> Any:
    return _change(
        session,
        who,
        lambda: lifecycle.reassign(
            session,
            staff=staff,
            reference=reference,
            version=_version(if_match, body.version),
            manager_id=body.manager_id,
            reason=body.reason,
        ),
    )


@router.post(
    "/cases/{reference}/referrals",
    status_code=201,
    response_model=ReferralCreated,
    responses=_CHANGE_ERRORS,
)
def refer(
    reference: Reference,
    body: ReferralBody,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    if_match: IfMatch = None,
) -> Any:
    def referred() -> lifecycle.Changed:
        done = lifecycle.refer(
            session,
            staff=staff,
            reference=reference,
            partner_id=body.partner_id,
            version=_version(if_match, body.version),
        )
        audit.changed(session, who, done.case.id, done.done)
        return done

    try:
        changed = lifecycle.committed(session, referred)
    except CaseError as exc:
        return case_error_response(exc)
    log.info("case_changed", reference=changed.case.reference, action=changed.done)
    return ReferralCreated(
        reference=str(changed.case.reference),
        action=changed.done,
        status=changed.case.status,
        version=changed.case.version,
        partner_id=body.partner_id,
    )


@router.post(
    "/cases/{reference}/notes",
    status_code=201,
    response_model=CaseChange,
    responses=_CHANGE_ERRORS,
)
def note(
    reference: Reference, body: NoteBody, staff: CurrentStaff, who: ApiActor, session: DeskSession
) -> Any:
    return _change(
        session,
        who,
        lambda: lifecycle.add_note(session, staff=staff, reference=reference, text=body.text),
        201,
    )


def _uploads(body: ReplyBody) -> list[Upload]:
    uploads = []
    for number, file in enumerate(body.attachments):
        try:
            data = base64.b64decode(file.content_base64, validate=True)
        except ValueError as exc:  # binascii.Error, or text that is not ASCII at all
            raise InvalidInputError(
                f"attachments.{number}.content_base64: not base64", field="attachments"
            ) from exc
        uploads.append(Upload(file.filename, file.content_type, data))
    return uploads


@router.post(
    "/cases/{reference}/replies",
    status_code=202,
    response_model=CaseChange,
    responses=_CHANGE_ERRORS,
)
def reply(
    reference: Reference,
    body: ReplyBody,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    desk: Desk,
    if_match: IfMatch = None,
) -> Any:
    """A mail to the enquirer, sent by the notifications service: 202, queued."""
    return _change(
        session,
        who,
        lambda: replies.reply(
            session,
            staff=staff,
            reference=reference,
            version=_version(if_match, body.version),
            text=body.text,
            uploads=_uploads(body),
            limits=desk.file_limits,
        ),
        202,
    )


@router.patch(
    "/cases/{reference}/understanding", response_model=CaseChange, responses=_CHANGE_ERRORS
)
def correct_understanding(
    reference: Reference,
    body: CorrectionBody,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    if_match: IfMatch = None,
) -> Any:
    """Corrects language, requester type or topics (the first topic is the primary)."""
    return _change(
        session,
        who,
        lambda: corrections.correct(
            session,
            staff=staff,
            reference=reference,
            version=_version(if_match, body.version),
            language=body.language,
            requester_type=body.requester_type,
            topics=body.topics,
        ),
    )


@router.post("/cases/{reference}/close", response_model=CaseChange, responses=_CHANGE_ERRORS)
def close(
    reference: Reference,
    body: CloseBody,
    staff: CurrentStaff,
    who: ApiActor,
    session: DeskSession,
    if_match: IfMatch = None,
) -> Any:
    return _change(
        session,
        who,
        lambda: lifecycle.close(
            session,
            staff=staff,
            reference=reference,
            version=_version(if_match, body.version),
            outcome=body.outcome,
        ),
    )
