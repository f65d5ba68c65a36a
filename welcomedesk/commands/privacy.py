"""`welcomedesk privacy ...` and `welcomedesk audit`: one person's data, retention, and
the audit log (the use cases live in services/desk/privacy and shared/privacy)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from shared.settings import get_settings
from welcomedesk import privacy_cmd
from welcomedesk.commands.params import IsoDateTime


@click.group(short_help="one person's data: export, erase; retention")
def privacy() -> None:
    """One person's data (export, erasure) and the retention sweep."""


@privacy.command(short_help="everything held about one person: JSON, a document, mails, files")
@click.argument("email")
@click.option("--phone", default=None, help="also their cases by this phone number")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="an empty or new folder")
def export(email: str, phone: str | None, out: Path | None) -> int:
    """Found by the whole e-mail address (any case), and by phone where given."""
    return privacy_cmd.export(get_settings(), email=email, phone=phone, out=out)


@privacy.command(short_help="remove one person's data from every table; statistics stay")
@click.argument("email")
@click.option("--phone", default=None, help="also their cases by this phone number")
@click.option(
    "--reason",
    required=True,
    help="why: request, withdrawn, objection, unlawful, obligation, or in words "
    "(words are not kept: the audit log says 'stated')",
)
@click.option("--dry-run", is_flag=True, help="say what would go, change nothing")
def erase(email: str, phone: str | None, reason: str, dry_run: bool) -> int:
    return privacy_cmd.erase(
        get_settings(), email=email, phone=phone, reason=reason, dry_run=dry_run
    )


@privacy.command(short_help="anonymise closed cases and delete old mail bytes now (beat: daily)")
@click.option("--at", type=IsoDateTime(), default=None, help="as if it were then (ISO 8601)")
@click.option("--dry-run", is_flag=True, help="say what would go, change nothing")
def retention(at: dt.datetime | None, dry_run: bool) -> int:
    return privacy_cmd.retention(get_settings(), at=at, dry_run=dry_run)


@click.command(short_help="the audit log: reads, changes, exports, erasures, sign-ins")
@click.option("--case", "reference", default=None, metavar="REF", help="entries about one case")
@click.option("--staff", default=None, metavar="EMAIL", help="one account's entries")
@click.option("--since", type=IsoDateTime(), default=None, help="since (ISO 8601 date)")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
def audit(reference: str | None, staff: str | None, since: dt.datetime | None, limit: int) -> int:
    """Newest first: when, action, who, how, case, details (ids and codes only)."""
    return privacy_cmd.audit_log(
        get_settings(), case=reference, staff=staff, since=since, limit=limit
    )
