"""The directory model's faults as a form shows them: each beside the field it is about,
and what concerns another entry as a message of its own. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from services.desk.admin.errors import InvalidEntryError
from shared.directory.loader import Loc, describe


def _within(rel: Loc) -> str:
    """'languages[1]' or 'absences[0].to' for a location inside an entry."""
    said = ""
    for part in rel:
        said += f"[{part}]" if isinstance(part, int) else (f".{part}" if said else str(part))
    return said


def entry_faults(
    faults: Iterable[tuple[Loc, str]],
    *,
    section: str,
    index: int,
    data: Any,
    rows: Iterable[str] = (),
) -> InvalidEntryError:
    """`index` is the edited entry's place in `data[section]`; `rows` are fields shown one
    row per item (date ranges), whose faults go to their row (`absences.0`)."""
    per_row = set(rows)
    fields: dict[str, str] = {}
    general: list[str] = []
    for loc, message in faults:
        if loc[:2] != (section, index) or len(loc) < 3:
            general.append(f"{describe(loc, data)}: {message}")
            continue
        rel = loc[2:]
        name = str(rel[0])
        if name in per_row and len(rel) > 1:
            name = f"{name}.{rel[1]}"
        said = message if len(rel) == 1 else f"{_within(rel)}: {message}"
        fields[name] = f"{fields[name]}; {said}" if name in fields else said
    return InvalidEntryError(fields, general)
