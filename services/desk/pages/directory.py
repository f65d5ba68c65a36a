"""Administrators' pages for the directory: the overview (with each manager's load), one
form per site, manager and partner, and the export as the directory file."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from services.desk import audit, labels
from services.desk.admin.directory import (
    SECTIONS,
    current_data,
    entry_values,
    export_text,
    read_directory_view,
    region_districts,
    save_entry,
)
from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError
from services.desk.admin.fields import EMPTY_ROWS, FORMS, KEYS, values_from_form
from services.desk.deps import Desk, DeskSession, PageUser
from services.desk.pages.edits import AdminPage, change, posted_form, render
from shared.vocabulary import REQUESTER_TYPES, TOPICS

router = APIRouter(include_in_schema=False)


@router.get("/admin")
def admin_home(user: AdminPage) -> RedirectResponse:
    return RedirectResponse("/admin/directory", status_code=303)


@router.get("/admin/directory")
def directory_page(request: Request, user: AdminPage, session: DeskSession) -> Response:
    saved = request.query_params.get("saved", "")[:64]
    return render(
        request,
        user,
        "admin_directory.html.j2",
        view=read_directory_view(session),
        saved=saved,
    )


@router.get("/admin/directory/export")
def directory_export(user: AdminPage, session: DeskSession) -> Response:
    """The directory file as `welcomedesk directory export` writes it."""
    return Response(
        export_text(session),
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="directory.yaml"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """The lists a form's fields choose from: (code, what to show)."""
    sites = current_data(session)["sites"]
    return {
        "sites": [(s["code"], s["name"]) for s in sites],
        "districts": [(d, d) for d in sorted(region_districts())],
        "topics": [(t, labels.TOPIC[t]) for t in TOPICS],
        "target_groups": [(t, labels.REQUESTER[t]) for t in REQUESTER_TYPES],
    }


def _form(
    request: Request,
    user: PageUser,
    session: Session,
    section: str,
    *,
    entry_id: str | None,
    values: dict[str, Any],
    status: int = 200,
    error: InvalidEntryError | None = None,
) -> Response:
    return render(
        request,
        user,
        "admin_entry.html.j2",
        status,
        section=section,
        entry_id=entry_id,
        fields=FORMS[section],
        key=KEYS[section],
        values=values,
        choices=choices(session),
        empty_rows=EMPTY_ROWS,
        errors=error.fields if error else {},
        problems=error.general if error else [],
    )


def _missing(request: Request, user: PageUser, what: str, key: str) -> Response:
    return render(request, user, "admin_missing.html.j2", 404, what=what, key=key[:64])


@router.get("/admin/directory/{section}/new")
def entry_new(section: str, request: Request, user: AdminPage, session: DeskSession) -> Response:
    if section not in SECTIONS:
        return _missing(request, user, "section", section)
    fresh: dict[str, Any] = {"active": True} if section == "managers" else {}
    return _form(request, user, session, section, entry_id=None, values=fresh)


@router.get("/admin/directory/{section}/{entry_id}/edit")
def entry_edit(
    section: str, entry_id: str, request: Request, user: AdminPage, session: DeskSession
) -> Response:
    if section not in SECTIONS:
        return _missing(request, user, "section", section)
    try:
        values = entry_values(session, section, entry_id)
    except EntryNotFoundError:
        return _missing(request, user, section, entry_id)
    return _form(request, user, session, section, entry_id=entry_id, values=values)


async def _save(
    request: Request,
    user: PageUser,
    desk: Desk,
    session: Session,
    section: str,
    entry_id: str | None,
) -> Response:
    if section not in SECTIONS:
        return _missing(request, user, "section", section)
    form = await posted_form(request, desk, user)
    fields = FORMS[section]
    if entry_id is not None:  # the code or id names the entry; it is not edited
        fields = tuple(f for f in fields if f.kind != "key")
    values = values_from_form(fields, form)
    try:

        def save(s: Session) -> str:
            saved = save_entry(
                s, staff=user.staff, section=section, entry_id=entry_id, values=values
            )
            done = "created" if entry_id is None else "changed"
            audit.admin_changed(
                s, user.staff, "directory_changed", section=section, entry=saved, done=done
            )
            return saved

        saved = await change(session, save)
    except InvalidEntryError as exc:
        return _form(
            request, user, session, section, entry_id=entry_id, values=values, status=422, error=exc
        )
    except EntryNotFoundError:
        return _missing(request, user, section, entry_id or "")
    target = f"/admin/directory?saved={quote(saved)}#{section}"
    return RedirectResponse(target, status_code=303)


@router.post("/admin/directory/{section}")
async def entry_create(
    section: str, request: Request, user: AdminPage, desk: Desk, session: DeskSession
) -> Response:
    return await _save(request, user, desk, session, section, None)


@router.post("/admin/directory/{section}/{entry_id}")
async def entry_save(
    section: str,
    entry_id: str,
    request: Request,
    user: AdminPage,
    desk: Desk,
    session: DeskSession,
) -> Response:
    return await _save(request, user, desk, session, section, entry_id)
