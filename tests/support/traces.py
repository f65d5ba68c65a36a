"""Finding a person's traces anywhere in a database: every column of every table read back
as text, and each marker looked for as written, in base64 and as quoted-printable (as a
mail or its attachment carries it)."""

from __future__ import annotations

import base64
import json
import quopri
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, MetaData, select

from shared.db.models import Base
from shared.privacy.columns import BOOKKEEPING, PERSONAL


@dataclass(frozen=True)
class Markers:
    """Unique strings one person leaves: `ascii` fits an e-mail address, `text` carries a
    non-ASCII letter, so that a mail must encode it (quoted-printable or base64)."""

    tag: str

    @property
    def ascii(self) -> str:
        return f"mk{self.tag}"

    def text(self, where: str) -> str:
        return f"MK{self.tag}Ü{where}"

    def all(self, wheres: list[str]) -> list[str]:
        return [self.ascii, *(self.text(w) for w in wheres)]


def new_markers() -> Markers:
    return Markers(uuid.uuid4().hex[:10])


def _text(value: Any) -> str:
    if isinstance(value, bytes | memoryview):
        raw = bytes(value)
        return raw.decode("latin-1") + "\n" + raw.decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def dump(engine: Engine) -> str:
    """Every value of every table, as text (bytes both as Latin-1 and as UTF-8)."""
    tables = MetaData()
    tables.reflect(bind=engine)
    parts: list[str] = []
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                parts.extend(_text(value) for value in row if value is not None)
    return "\n".join(parts)


def _base64_forms(marker: str) -> list[str]:
    """The marker's base64 at each of the three byte alignments, without the characters
    its neighbours share."""
    data = marker.encode()
    forms = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode()
        start = 4 if offset else 0
        forms.append(encoded[start:-4])
    return [f for f in forms if len(f) >= 8]


def _quoted_printable(marker: str) -> list[str]:
    data = marker.encode()
    return [
        quopri.encodestring(data).decode().replace("=\n", ""),
        quopri.encodestring(data, header=True).decode(),
    ]


def traces(dumped: str, marker: str) -> list[str]:
    """How the marker is found in the dump: 'plain', 'base64', 'quoted-printable'."""
    found = []
    if marker in dumped or marker.lower() in dumped.lower():
        found.append("plain")
    squeezed = "".join(dumped.split())
    if any(form in squeezed for form in _base64_forms(marker)):
        found.append("base64")
    unfolded = dumped.replace("=\r\n", "").replace("=\n", "")
    if any(form in unfolded for form in _quoted_printable(marker)):
        found.append("quoted-printable")
    return found


# Tables whose rows anonymising deletes, or that grow with every request: not facts.
_NOT_FACTS = frozenset({"idempotency_keys", "suppressed_addresses", "audit_log"})


def facts(engine: Engine) -> str:
    """Every column that is neither personal nor anonymising's bookkeeping, of every row:
    what statistics can be computed from, as one JSON text to compare byte for byte."""
    kept: dict[str, list[list[Any]]] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in _NOT_FACTS:
                continue
            skip = set(PERSONAL.get(table.name, {})) | BOOKKEEPING.get(table.name, frozenset())
            columns = [c for c in table.columns if c.name not in skip]
            order = list(table.primary_key.columns)
            rows = connection.execute(select(*columns).order_by(*order))
            kept[table.name] = [[_text(value) for value in row] for row in rows]
    return json.dumps(kept, ensure_ascii=False, sort_keys=True)
