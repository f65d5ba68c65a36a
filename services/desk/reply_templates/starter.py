"""The starter set of reply templates shipped in services/desk/data/reply_templates.yaml,
loaded once into an empty table when the web process starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from services.desk.admin.errors import InvalidEntryError
from services.desk.reply_templates.checks import Variants
from services.desk.reply_templates.store import checked
from shared.db.models import MetaRow, ReplyTemplateRow, utcnow
from shared.yamlfile import parse_yaml

STARTER: Final = Path(__file__).resolve().parent.parent / "data" / "reply_templates.yaml"
# Set once the starter set was loaded: templates deleted later do not come back.
LOADED_KEY: Final = "reply_templates_starter"
LOADED_BY: Final = "starter set"

log = structlog.get_logger(__name__)


def read_starter(path: Path = STARTER) -> dict[str, Variants]:
    """The starter set, checked by the desk's rules; a fault names the template and field."""
    data: Any = parse_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of template keys to their variants")
    templates: dict[str, Variants] = {}
    for key, variants in data.items():
        if not isinstance(variants, dict) or not all(
            isinstance(v, dict) for v in variants.values()
        ):
            raise ValueError(f"{path}: {key}: expected languages with a title and a text each")
        given = {
            str(code): {k: str(v) for k, v in variant.items()} for code, variant in variants.items()
        }
        try:
            clean_key, cleaned = checked(str(key), given)
        except InvalidEntryError as exc:
            raise ValueError(f"{path}: {key}: {exc}") from exc
        templates[clean_key] = cleaned
    return templates


def load_starter_templates(session: Session, path: Path = STARTER) -> int:
    """Loads the starter set into an empty table, once; returns how many templates.
    Flushes, never commits."""
    if session.get(MetaRow, LOADED_KEY) is not None:
        return 0
    session.add(MetaRow(key=LOADED_KEY, value="loaded"))
    if session.scalar(select(ReplyTemplateRow.key).limit(1)) is not None:
        session.flush()
        return 0
    templates = read_starter(path)
    now = utcnow()
    for key, variants in templates.items():
        session.add(
            ReplyTemplateRow(key=key, variants=variants, updated_at=now, updated_by=LOADED_BY)
        )
    session.flush()
    return len(templates)


def load_at_start(sessions: sessionmaker[Session]) -> None:
    """At the web process's start. Several processes may start at once: one loads, the
    others find the marker or collide on it and leave it. A database that is away is no
    reason not to start (the next start loads the set)."""
    try:
        with sessions.begin() as session:
            count = load_starter_templates(session)
    except IntegrityError:
        return
    except OperationalError as exc:
        log.warning("reply_templates_not_loaded", error=type(exc.orig).__name__)
        return
    if count:
        log.info("reply_templates_loaded", count=count)
