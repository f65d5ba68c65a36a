"""Reading a posted form for a page handler: plain strings, bounded, never a 500."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

MAX_FIELDS = 50


async def read_form(request: Request) -> dict[str, str]:
    """The form's text fields (files are skipped); an unreadable body is an empty form,
    which then fails its CSRF check like any forged post."""
    try:
        async with request.form(max_files=0, max_fields=MAX_FIELDS) as form:
            return {
                key: value
                for key, value in form.multi_items()
                if isinstance(value, str) and not isinstance(value, UploadFile)
            }
    except (StarletteHTTPException, MultiPartException, UnicodeDecodeError):
        return {}


def safe_next(target: str | None, default: str = "/cases") -> str:
    """Only a path of this site: never another host ('//evil', '/\\evil', 'https:...')."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\r\n\x00") or len(target) > 500:
        return default
    return target


def to_int(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value) > 12:
        return None
    return int(value)


async def read_form_with_files(
    request: Request, *, max_files: int
) -> tuple[dict[str, str], list[tuple[str, str, bytes]]]:
    """The form's text fields and its files (name, type, bytes); empty file inputs are
    skipped. The body's size was bounded before this runs."""
    try:
        async with request.form(max_files=max_files + 1, max_fields=MAX_FIELDS) as form:
            fields: dict[str, str] = {}
            files: list[tuple[str, str, bytes]] = []
            for key, value in form.multi_items():
                if isinstance(value, str):
                    fields[key] = value
                elif isinstance(value, UploadFile) and value.filename:
                    data = await value.read()
                    if data:
                        files.append((value.filename, value.content_type or "", data))
            return fields, files
    except (StarletteHTTPException, MultiPartException, UnicodeDecodeError):
        return {}, []


async def read_form_lists(request: Request, *, max_fields: int = 200) -> dict[str, list[str]]:
    """Every value of each text field (ticked boxes of one name, rows of a table); an
    unreadable body is an empty form, as with `read_form`."""
    try:
        async with request.form(max_files=0, max_fields=max_fields) as form:
            fields: dict[str, list[str]] = {}
            for key, value in form.multi_items():
                if isinstance(value, str):
                    fields.setdefault(key, []).append(value)
            return fields
    except (StarletteHTTPException, MultiPartException, UnicodeDecodeError):
        return {}
