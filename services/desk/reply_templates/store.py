"""Reply templates in the database: list, read, save (create or change) and delete. Each
works in the caller's transaction and never commits; changes are for administrators and
record who made them and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.admin.errors import EntryNotFoundError, InvalidEntryError, require_admin
from services.desk.reply_templates.checks import KEY, Variants, check_key, clean_variants
from services.desk.staff import Staff
from shared.db.models import ReplyTemplateRow, utcnow
from shared.vocabulary import REGION_LANGUAGES

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Variant:
    title: str
    text: str


@dataclass(frozen=True)
class ReplyTemplate:
    key: str
    variants: dict[str, Variant]
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    @property
    def languages(self) -> list[str]:
        """Its languages, in the order of the region's languages."""
        return [code for code in REGION_LANGUAGES if code in self.variants]

    @property
    def missing(self) -> list[str]:
        """The region's languages it has no variant in."""
        return [code for code in REGION_LANGUAGES if code not in self.variants]

    @property
    def title(self) -> str:
        """A title to list it by: German, else English, else any."""
        for code in ("de", "en", *self.languages):
            if code in self.variants:
                return self.variants[code].title
        return self.key


def _as_template(row: ReplyTemplateRow) -> ReplyTemplate:
    variants = {
        code: Variant(str(v.get("title", "")), str(v.get("text", "")))
        for code, v in (row.variants or {}).items()
        if isinstance(v, dict)
    }
    return ReplyTemplate(row.key, variants, row.updated_at, row.updated_by)


def list_templates(session: Session) -> list[ReplyTemplate]:
    rows = session.scalars(select(ReplyTemplateRow).order_by(ReplyTemplateRow.key))
    return [_as_template(row) for row in rows]


def _row(session: Session, key: str) -> ReplyTemplateRow:
    # A key no template can have (a NUL, 200 characters) is not looked up at all.
    row = session.get(ReplyTemplateRow, key) if KEY.match(key) else None
    if row is None:
        raise EntryNotFoundError(f"no reply template {key[:64]!r}")
    return row


def read_template(session: Session, key: str) -> ReplyTemplate:
    return _as_template(_row(session, key))


def checked(key: str, variants: Mapping[str, Mapping[str, str]]) -> tuple[str, Variants]:
    """The key and the variants as they will be stored, or every fault at once."""
    fields: dict[str, str] = {}
    try:
        key = check_key(key)
    except InvalidEntryError as exc:
        fields.update(exc.fields)
    try:
        cleaned = clean_variants(variants)
    except InvalidEntryError as exc:
        fields.update(exc.fields)
    if fields:
        raise InvalidEntryError(fields)
    return key, cleaned


def save_template(
    session: Session,
    *,
    staff: Staff,
    key: str,
    variants: Mapping[str, Mapping[str, str]],
    new: bool,
) -> ReplyTemplate:
    """`new`: make a template under a key not yet used; else change the one with `key`."""
    require_admin(staff)
    key, cleaned = checked(key, variants)
    row = session.get(ReplyTemplateRow, key)
    if new and row is not None:
        raise InvalidEntryError({"key": f"a template {key!r} exists already: change that one"})
    if not new and row is None:
        raise EntryNotFoundError(f"no reply template {key!r}")
    row = row or ReplyTemplateRow(key=key)
    row.variants = cleaned
    row.updated_at = utcnow()
    row.updated_by = staff.actor
    session.add(row)
    session.flush()
    log.info("reply_template_saved", key=key, new=new, staff_id=staff.id)
    return _as_template(row)


def delete_template(session: Session, *, staff: Staff, key: str) -> None:
    require_admin(staff)
    row = _row(session, key)
    session.delete(row)
    session.flush()
    log.info("reply_template_deleted", key=row.key, staff_id=staff.id)
