"""Lists of cases: my cases, the site's triage queue, everything (administrators), with
search and filters; one page at a time, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from services.desk.cases.access import own_cases, site_triage, visible
from services.desk.cases.search import matches
from services.desk.staff import Staff
from shared.db.models import EnquiryRow

View = Literal["mine", "triage", "all"]
VIEWS: tuple[View, ...] = ("mine", "triage", "all")
PAGE_SIZE = 25


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


def _scope(staff: Staff, view: View) -> ColumnElement[bool]:
    """The view's cases this person may see: `visible(staff)` narrowed to the view. A
    manager's own cases and their site's triage queue lie wholly inside `visible`, so
    those views are their own condition alone, which the database answers from the
    view's index rather than from both sides of `visible`'s OR."""
    if view == "mine":
        return own_cases(staff)
    if view == "triage":
        return EnquiryRow.status == "triage" if staff.is_admin else site_triage(staff)
    return visible(staff)


def _filters(filters: Filters, dialect: str) -> list[ColumnElement[bool]]:
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
        where.append(matches(filters.q, dialect=dialect))
    return where


_SUMMARY = (
    EnquiryRow.reference,
    EnquiryRow.status,
    EnquiryRow.version,
    EnquiryRow.received_at,
    EnquiryRow.name,
    EnquiryRow.subject,
    EnquiryRow.language,
    EnquiryRow.topics,
    func.coalesce(EnquiryRow.understood_type, EnquiryRow.requester_type).label("kind"),
    EnquiryRow.channel,
    EnquiryRow.site,
    EnquiryRow.manager_id,
    EnquiryRow.needs_interpreter,
    EnquiryRow.outcome,
)
_NEWEST_FIRST = (EnquiryRow.received_at.desc(), EnquiryRow.id.desc())


def _count(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(EnquiryRow).where(*where)) or 0


def _page(session: Session, where: list[ColumnElement[bool]], page: int) -> Sequence[Any]:
    query = select(*_SUMMARY).where(*where).order_by(*_NEWEST_FIRST)
    return session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()


def _found(session: Session, where: list[ColumnElement[bool]], page: int) -> Sequence[Any]:
    """A search's page, each row with the number of all matches at its end. The matches
    are read once, through the indexes (materialized, so that the planner cannot walk
    the cases newest first and test each one until it has them all), as ids and dates
    only; they are counted and the page's ids taken from them, and only the page's 25
    cases are read whole."""
    found = (
        select(EnquiryRow.id, EnquiryRow.received_at)
        .where(*where)
        .cte("found")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    newest = (
        select(found.c.id, found.c.received_at, func.count().over().label("total"))
        .order_by(found.c.received_at.desc(), found.c.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .subquery("newest")
    )
    query = (
        select(*_SUMMARY, newest.c.total)
        .join_from(EnquiryRow, newest, newest.c.id == EnquiryRow.id)
        .order_by(newest.c.received_at.desc(), newest.c.id.desc())
    )
    return session.execute(query).all()


def list_cases(
    session: Session, *, staff: Staff, view: View, filters: Filters, page: int = 1
) -> CasePage:
    dialect = session.get_bind().dialect.name
    where = [_scope(staff, view), *_filters(filters, dialect)]
    page = max(1, page)
    rows: Sequence[Any] = ()
    total: int | None = None
    if filters.q:  # a search tests each case it reads: read them once
        rows = _found(session, where, page)
        total = int(rows[0][-1]) if rows else (0 if page == 1 else None)
    if total is None:  # a list (counted from its index), or a page past a search's last
        total = _count(session, where)
        page = min(page, max(1, -(-total // PAGE_SIZE)))
        rows = _page(session, where, page)
    pages = max(1, -(-total // PAGE_SIZE))
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
