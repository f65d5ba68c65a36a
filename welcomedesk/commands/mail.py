"""`welcomedesk mail ...`: incoming and outgoing mail."""

from __future__ import annotations

from pathlib import Path

import click

from services.intake.inbound.operators import list_received, reprocess_waiting
from services.intake.mail.reading import MailContext
from services.notifications.dead_letters import (
    NotDeadLettersError,
    list_dead_letters,
    resend_dead_letters,
)
from shared.directory import DEMO_DIRECTORY
from shared.settings import get_settings
from welcomedesk.commands.connect import publish, sessions
from welcomedesk.commands.params import FILE, region_option
from welcomedesk.mail_inspect import inspect_files


@click.group(short_help="incoming and outgoing mail")
def mail() -> None:
    """Incoming and outgoing mail."""


@mail.command("dead-letters", short_help="list mails that failed for good, or send them again")
@click.option("--resend", is_flag=True, help="send the dead letters ID... again")
@click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
def dead_letters(resend: bool, ids: tuple[int, ...]) -> int:
    """Without --resend: one line per dead letter (id, reference, kind, attempts, error).
    With --resend ID...: those mails are queued again, all or none."""
    if ids and not resend:
        raise click.UsageError("give --resend to send these dead letters again")
    if resend and not ids:
        raise click.UsageError("--resend needs the ids of the dead letters to send again")
    settings = get_settings()
    if not resend:
        with sessions(settings)() as session:
            letters = list_dead_letters(session)
        for d in letters:
            click.echo(
                f"{d.delivery_id}\t{d.reference}\t{d.kind}\t{d.attempts} attempts\t{d.last_error}"
            )
        click.echo(f"{len(letters)} dead letter(s)", err=True)
        return 0
    try:
        resent = resend_dead_letters(sessions(settings), publish(settings), delivery_ids=list(ids))
    except NotDeadLettersError as exc:
        click.echo(f"not dead letters: {exc}; nothing was queued", err=True)
        return 1
    click.echo(
        f"{resent.queued} dead letter(s) queued again "
        f"({resent.published} published now, the rest by the relay)"
    )
    return 0


@mail.command(short_help="received mails: id, source, kind, outcome, status, attempts, error")
@click.option("--failed", is_flag=True, help="only failed and dead ones")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
def inbound(failed: bool, limit: int) -> int:
    """One line per received mail, newest first: ids, kinds and outcomes, no personal data."""
    with sessions(get_settings())() as session:
        rows = list_received(session, failed=failed, limit=limit)
        for row in rows:
            error = row.last_error.splitlines()[0][:120] if row.last_error else ""
            click.echo(
                f"{row.id}\t{row.received_at:%Y-%m-%d %H:%M}\t{row.source}\t{row.kind or '-'}"
                f"\t{row.status}\t{row.outcome or '-'}\t{row.reference or '-'}"
                f"\t{row.attempts} attempt(s)\t{error}"
            )
    click.echo(f"{len(rows)} received mail(s)", err=True)
    return 0


@mail.command(short_help="handle failed or dead received mails again, from their stored bytes")
@click.argument("ids", nargs=-1, type=int, metavar="[ID]...")
def reprocess(ids: tuple[int, ...]) -> int:
    """Without ids: every failed and dead mail. Prints one outcome per mail."""
    settings = get_settings()
    failures = count = 0
    for result in reprocess_waiting(
        sessions(settings),
        publish(settings),
        ids=list(ids),
        context=MailContext.from_settings(settings),
        max_attempts=settings.inbound_max_attempts,
    ):
        count += 1
        done = result.done
        if done is None:
            click.echo(f"{result.inbound_id}\tnot reprocessed: {result.refusal}", err=True)
            failures += 1
            continue
        failures += done.status != "processed"
        click.echo(f"{done.inbound_id}\t{done.outcome}\t{done.status}\t{done.reference or '-'}")
    click.echo(f"{count} mail(s) reprocessed, {failures} not handled", err=True)
    return 1 if failures else 0


@mail.command(short_help="how incoming mails would be handled: one JSON line each, no side effects")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--directory",
    "directory_file",
    type=FILE,
    default=DEMO_DIRECTORY,
    help="directory YAML file for reading enquiries (default: the demo directory)",
)
@region_option
def inspect(files: tuple[str, ...], directory_file: Path, region: Path | None) -> int:
    """Reads raw RFC 5322 messages (- for standard input) and prints, per file, its kind,
    reference, sender, language, requester type, topic and what was set aside."""
    return inspect_files(list(files), directory=directory_file, region=region)
