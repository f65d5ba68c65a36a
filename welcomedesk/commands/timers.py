"""`welcomedesk escalate` and `welcomedesk statistics ...`: the office-hours timers run by
hand, and the statistics' facts rebuilt."""

from __future__ import annotations

import datetime as dt

import click

from shared.settings import get_settings
from welcomedesk.commands.params import IsoDateTime


@click.command(short_help="run the office-hours timers once: reminders, reassignments")
@click.option("--at", type=IsoDateTime(), default=None, help="as of this moment (ISO 8601)")
@click.option("--dry-run", is_flag=True, help="print what it would do, only")
def escalate(at: dt.datetime | None, dry_run: bool) -> int:
    """Acts on every due timer as of --at (default: now) and prints one JSON line per action:
    reference, action (reminder, reassigned, triage, triage_reminder), from, to, reason,
    site. A second run for the same moment does nothing."""
    from welcomedesk.escalate_cmd import escalate as run  # the routing engine: lazily

    return run(get_settings(), at=at, dry_run=dry_run)


@click.group(short_help="the centre's statistics")
def statistics() -> None:
    """The centre's statistics."""


@statistics.command(short_help="facts for routed cases without them; monthly counters afresh")
def rebuild() -> int:
    from welcomedesk.statistics_cmd import rebuild as run

    return run(get_settings())
