"""Attachments of a case's mails: downloaded, never shown inline, never sniffed."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from services.desk import audit
from services.desk.cases.access import find_case
from services.desk.cases.errors import CaseNotFoundError
from services.desk.deps import DeskSession, PageStaff
from shared.db.models import AttachmentRow

router = APIRouter(include_in_schema=False)


def _ascii_name(filename: str) -> str:
    kept = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_" for ch in filename
    )
    return kept.strip() or "attachment"


@router.get("/cases/{reference}/attachments/{attachment_id}")
def attachment(
    reference: str, attachment_id: int, user: PageStaff, session: DeskSession
) -> Response:
    try:
        case = find_case(session, user.staff, reference)
    except CaseNotFoundError:
        return Response("no such attachment", status_code=404, media_type="text/plain")
    row = session.scalar(
        select(AttachmentRow).where(
            AttachmentRow.id == attachment_id, AttachmentRow.enquiry_id == case.id
        )
    )
    if row is None or row.data is None:
        return Response("no such attachment", status_code=404, media_type="text/plain")
    data, filename = row.data, row.filename
    audit.downloaded(session, audit.actor(user.staff, via="page"), case.id, attachment_id)
    disposition = (
        f'attachment; filename="{_ascii_name(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-store",
        },
    )
