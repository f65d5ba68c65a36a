"""`welcomedesk route`: what would happen to these enquiries, without any server."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from services.routing.engine import RoutingEngine
from shared.directory import load_directory
from shared.region import load_region
from welcomedesk.commands.params import FILE, IsoDateTime, region_option
from welcomedesk.route import route_lines


@click.command(
    short_help="route enquiries (JSON lines) against a directory, without any server",
)
@click.option("--directory", "directory_file", required=True, type=FILE, help="directory YAML")
@click.option("--input", "source", default="-", help="JSON lines file, or - for standard input")
@click.option("--at", type=IsoDateTime(), default=None, help="decision time (ISO 8601)")
@region_option
def route(directory_file: Path, source: str, at: dt.datetime | None, region: Path | None) -> int:
    """Reads enquiries as JSON lines (the intake fields plus an optional id) and writes one
    decision per line, in order; each assignment adds to that manager's load."""
    places = load_region(region)
    engine = RoutingEngine(load_directory(directory_file, districts=places.districts), places)
    at = at or dt.datetime.now().astimezone()
    if source == "-":
        bad = route_lines(sys.stdin, engine, at, sys.stdout, sys.stderr)
    else:
        try:
            with Path(source).open(encoding="utf-8") as lines:
                bad = route_lines(lines, engine, at, sys.stdout, sys.stderr)
        except OSError as exc:
            click.echo(f"welcomedesk route: {source}: {exc.strerror}", err=True)
            return 2
    if bad:
        click.echo(f"welcomedesk route: {bad} line(s) not routed", err=True)
        return 1
    return 0
