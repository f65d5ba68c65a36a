"""`welcomedesk directory validate|import|export`: the sites, managers and partners."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from shared.db.engine import session_scope
from shared.directory import load_directory
from shared.directory.store import export_directory, import_directory, read_directory
from shared.region import load_region
from shared.settings import get_settings
from welcomedesk.commands.connect import sessions
from welcomedesk.commands.params import FILE, region_option


@click.group(short_help="the directory of sites, managers and partners")
def directory() -> None:
    """The directory of sites, managers and partners."""


@directory.command(short_help="check a directory file, load it nowhere")
@click.argument("file", type=FILE)
@region_option
def validate(file: Path, region: Path | None) -> int:
    """Reports every fault of the file at once, as FILE:LINE: ENTRY: FIELD: problem."""
    found = load_directory(file, districts=load_region(region).districts)
    click.echo(
        f"{file}: ok, {len(found.sites)} sites, {len(found.managers)} managers, "
        f"{len(found.partners)} partners"
    )
    return 0


@directory.command("import", short_help="load a directory file into the database")
@click.argument("file", type=FILE)
def import_(file: Path) -> int:
    """Upserts every site, manager and partner of the file."""
    found = load_directory(file, districts=load_region().districts)
    with session_scope(sessions(get_settings())) as session:
        counts = import_directory(session, found)
    click.echo(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" imported from {file}")
    return 0


@directory.command(short_help="write the database's directory as YAML")
def export() -> int:
    with sessions(get_settings())() as session:
        sys.stdout.write(export_directory(read_directory(session)))
    return 0
