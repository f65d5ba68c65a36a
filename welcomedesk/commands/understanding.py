"""`welcomedesk understanding ...`: what the engine understood, and what staff corrected."""

from __future__ import annotations

import datetime as dt
import json

import click

from services.desk.cases.corrections import corrected_cases
from shared.settings import get_settings
from welcomedesk.commands.connect import sessions
from welcomedesk.commands.params import IsoDateTime


@click.group(short_help="what the engine understood, and corrections")
def understanding() -> None:
    """What the routing engine understood of cases, and what staff corrected."""


@understanding.command(short_help="corrected cases as route input, the labels in `expect`")
@click.option("--since", type=IsoDateTime(), default=None, help="corrected since (ISO 8601)")
@click.option("--with-contacts", is_flag=True, help="include name, e-mail and phone")
def corrections(since: dt.datetime | None, with_contacts: bool) -> int:
    """One JSON line per corrected case, in `welcomedesk route`'s input format, with the
    corrected labels in an `expect` object like the labelled corpus."""
    count = 0
    with sessions(get_settings())() as session:
        for line in corrected_cases(session, since=since, with_contacts=with_contacts):
            click.echo(json.dumps(line, ensure_ascii=False))
            count += 1
    click.echo(f"{count} corrected case(s)", err=True)
    return 0
