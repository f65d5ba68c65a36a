"""Lists of cases: my cases, the site's triage queue, everything (administrators), with
search and filters; one page at a time, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import ColumnElement, String, and_, cast, false, func, or_, select, true
from sqlalchemy.orm import Session

from services.desk.cases.access import normalise_reference, visible
from services.desk.staff import Staff
from shared.db.models import EnquiryRow

View = Literal["mine", "triage", "all"]
VIEWS: tuple[View, ...] = ("mine", "triage", "all")
PAGE_SIZE = 25
MAX_QUERY = 200


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    language: str | None = None
    topic: str | None = None
    channel: str | None = None
    requester_type: str | None = None
    needs_interpreter: bool | None = None
    site: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    status: str
    version: int
    received_at: dt.datetime
    name: str | None
    subject: str | None
    language: str | None
    topics: list[str]
    requester_type: str | None
    channel: str
    site: str | None
    manager_id: str | None
    needs_interpreter: bool
    outcome: str | None


@dataclass(frozen=True)
class CasePage:
    view: View
    page: int
    pages: int
    total: int
    items: list[CaseSummary] = field(default_factory=list)


def _view(staff: Staff, view: View) -> ColumnElement[bool]:
    if view == "mine":
        return EnquiryRow.manager_id == staff.manager_id if staff.manager_id else false()
    if view == "triage":
        if staff.is_admin:
            return EnquiryRow.status == "triage"
        if staff.site is None:
            return false()
        return and_(EnquiryRow.status == "triage", EnquiryRow.site == staff.site)
    return true()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(filters: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.status:
        where.append(EnquiryRow.status == filters.status)
    if filters.language:
        where.append(EnquiryRow.language == filters.language)
    if filters.topic:
        # Topic codes are a fixed vocabulary: their quoted form in the JSON list is exact.
        where.append(cast(EnquiryRow.topics, String).like(f'%"{filters.topic}"%'))
    if filters.channel:
        where.append(EnquiryRow.channel == filters.channel)
    if filters.requester_type:
        kind = func.coalesce(EnquiryRow.understood_type, EnquiryRow.requester_type)
        where.append(kind == filters.requester_type)
    if filters.needs_interpreter is not None:
        where.append(EnquiryRow.needs_interpreter.is_(filters.needs_interpreter))
    if filters.site:
        where.append(EnquiryRow.site == filters.site)
    if filters.q:
        text = filters.q.strip()[:MAX_QUERY]
        pattern = _like(text)
        anywhere: list[ColumnElement[bool]] = [
            EnquiryRow.name.ilike(pattern, escape="\\"),
            EnquiryRow.email.ilike(pattern, escape="\\"),
            EnquiryRow.subject.ilike(pattern, escape="\\"),
            EnquiryRow.message.ilike(pattern, escape="\\"),
            EnquiryRow.company.ilike(pattern, escape="\\"),
        ]
        reference = normalise_reference(text)
        if reference is not None:
            anywhere.insert(0, EnquiryRow.reference == reference)
        where.append(or_(*anywhere))
    return where


def list_cases(
    session: Session, *, staff: Staff, view: View, filters: Filters, page: int = 1
) -> CasePage:
    where = [visible(staff), _view(staff, view), *_filters(filters)]
    total = session.scalar(select(func.count()).select_from(EnquiryRow).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(
            EnquiryRow.reference,
            EnquiryRow.status,
            EnquiryRow.version,
            EnquiryRow.received_at,
            EnquiryRow.name,
            EnquiryRow.subject,
            EnquiryRow.language,
            EnquiryRow.topics,
            func.coalesce(EnquiryRow.understood_type, EnquiryRow.requester_type),
            EnquiryRow.channel,
            EnquiryRow.site,
            EnquiryRow.manager_id,
            EnquiryRow.needs_interpreter,
            EnquiryRow.outcome,
        )
        .where(*where)
        .order_by(EnquiryRow.received_at.desc(), EnquiryRow.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    items = [
        CaseSummary(
            reference=str(r[0]),
            status=r[1],
            version=r[2],
            received_at=r[3],
            name=r[4],
            subject=r[5],
            language=r[6],
            topics=list(r[7] or ()),
            requester_type=r[8],
            channel=r[9],
            site=r[10],
            manager_id=r[11],
            needs_interpreter=r[12],
            outcome=r[13],
        )
        for r in rows
    ]
    return CasePage(view, page, pages, total, items)
