"""Administrators' pages for the reply templates: the list (with the languages each one
lacks), a new template, changing one, deleting one."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from services.desk import audit
from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError
from services.desk.deps import Desk, DeskSession, PageUser
from services.desk.pages.edits import AdminPage, Form, change, posted_form, render, value
from services.desk.reply_templates.placeholders import PLACEHOLDERS
from services.desk.reply_templates.store import (
    delete_template,
    list_templates,
    read_template,
    save_template,
)
from shared.vocabulary import REGION_LANGUAGES

router = APIRouter(include_in_schema=False)
DONE = ("saved", "deleted")


@router.get("/admin/templates")
def templates_list(request: Request, user: AdminPage, session: DeskSession) -> Response:
    done = request.query_params.get("done")
    return render(
        request,
        user,
        "admin_templates.html.j2",
        templates=list_templates(session),
        done=done if done in DONE else None,
    )


def _form(
    request: Request,
    user: PageUser,
    *,
    key: str | None,
    values: dict[str, dict[str, str]],
    status: int = 200,
    error: InvalidEntryError | None = None,
    new_key: str = "",
) -> Response:
    return render(
        request,
        user,
        "admin_template.html.j2",
        status,
        key=key,
        new_key=new_key,
        values=values,
        errors=error.fields if error else {},
        problems=error.general if error else [],
        languages=REGION_LANGUAGES,
        placeholders=PLACEHOLDERS,
    )


def _missing(request: Request, user: PageUser, key: str) -> Response:
    return render(request, user, "admin_missing.html.j2", 404, what="template", key=key[:64])


@router.get("/admin/templates/new")
def template_new(request: Request, user: AdminPage) -> Response:
    return _form(request, user, key=None, values={})


@router.get("/admin/templates/{key}/edit")
def template_edit(key: str, request: Request, user: AdminPage, session: DeskSession) -> Response:
    try:
        found = read_template(session, key)
    except EntryNotFoundError:
        return _missing(request, user, key)
    values = {c: {"title": v.title, "text": v.text} for c, v in found.variants.items()}
    return _form(request, user, key=found.key, values=values)


def _variants(form: Form) -> dict[str, dict[str, str]]:
    return {
        code: {"title": value(form, f"{code}.title"), "text": value(form, f"{code}.text")}
        for code in REGION_LANGUAGES
    }


async def _save(
    request: Request, user: PageUser, desk: Desk, session: DeskSession, key: str | None
) -> Response:
    form = await posted_form(request, desk, user)
    variants = _variants(form)
    new_key = value(form, "key")
    try:

        def save(s: Session) -> None:
            saved = save_template(
                s, staff=user.staff, key=key or new_key, variants=variants, new=key is None
            )
            done = "created" if key is None else "changed"
            audit.admin_changed(s, user.staff, "reply_template_changed", key=saved.key, done=done)

        await change(session, save)
    except InvalidEntryError as exc:
        return _form(
            request, user, key=key, values=variants, status=422, error=exc, new_key=new_key
        )
    except EntryNotFoundError:
        return _missing(request, user, key or new_key)
    return RedirectResponse("/admin/templates?done=saved", status_code=303)


@router.post("/admin/templates")
async def template_create(
    request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    return await _save(request, user, desk, session, None)


@router.post("/admin/templates/{key}")
async def template_save(
    key: str, request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    return await _save(request, user, desk, session, key)


@router.post("/admin/templates/{key}/delete")
async def template_delete(
    key: str, request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    await posted_form(request, desk, user)  # only its token: deleting needs nothing else
    try:

        def delete(s: Session) -> None:
            delete_template(s, staff=user.staff, key=key)
            audit.admin_changed(s, user.staff, "reply_template_changed", key=key, done="deleted")

        await change(session, delete)
    except EntryNotFoundError:
        return _missing(request, user, key)
    return RedirectResponse("/admin/templates?done=deleted", status_code=303)
