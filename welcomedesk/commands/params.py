"""Option types the command modules share (light: `route` imports this)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


class IsoDateTime(click.ParamType[dt.datetime]):
    """An ISO 8601 date-time; without an offset it is taken in the machine's time zone."""

    name = "ISO-DATETIME"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            at = dt.datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not an ISO date-time such as 2026-11-26T10:00:00+01:00")
        return at if at.tzinfo else at.astimezone()


FILE = click.Path(dir_okay=False, path_type=Path)
region_option = click.option(
    "--region", type=FILE, default=None, help="region data (default: shipped)"
)
