"""`welcomedesk staff ...`: the desk's accounts."""

from __future__ import annotations

import sys

import click

from services.desk.accounts import AccountError, add_staff, disable_staff, list_staff
from shared.db.engine import session_scope
from shared.settings import get_settings
from welcomedesk.commands.connect import sessions
from welcomedesk.commands.token import refused


@click.group(short_help="staff accounts of the desk")
def staff() -> None:
    """Staff accounts of the desk: managers and administrators."""


@staff.command(short_help="a new account; prints a one-time link to set the password")
@click.argument("email")
@click.option("--role", type=click.Choice(["manager", "admin"]), required=True)
@click.option("--manager", "manager_id", default=None, help="the directory's manager id")
@click.option("--language", type=click.Choice(["de", "en"]), default="de", show_default=True)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def add(email: str, role: str, manager_id: str | None, language: str, password_stdin: bool) -> int:
    """Without --password-stdin, prints a one-time link to set the password."""
    settings = get_settings()
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    try:
        with session_scope(sessions(settings)) as session:
            made = add_staff(
                session,
                email=email,
                role=role,
                manager_id=manager_id,
                password=password,
                language=language,
                link_hours=settings.staff_link_hours,
            )
            address = made.staff.email
    except AccountError as exc:
        return refused(exc)
    base = settings.base_url.rstrip("/")
    if made.link is None:
        click.echo(f"{address}: account made ({role}); sign in at {base}/staff/sign-in")
    else:
        click.echo(
            f"{address}: account made ({role}). One-time link to set the password, valid "
            f"{settings.staff_link_hours} h:"
        )
        click.echo(f"{base}/staff/password/{made.link}")
    return 0


@staff.command("list", short_help="every account: e-mail, role, manager, state")
def list_accounts() -> int:
    with sessions(get_settings())() as session:
        for row in list_staff(session):
            state = "active" if row.active else "disabled"
            second = "2fa" if row.totp_enabled else "-"
            password = "password set" if row.password_hash else "no password yet"
            click.echo(
                f"{row.email}\t{row.role}\t{row.manager_id or '-'}\t{state}\t{second}\t{password}"
            )
    return 0


@staff.command(short_help="the account can no longer sign in")
@click.argument("email")
def disable(email: str) -> int:
    try:
        with session_scope(sessions(get_settings())) as session:
            address = disable_staff(session, email=email).email
    except AccountError as exc:
        return refused(exc)
    click.echo(f"{address}: disabled; its sessions have ended")
    return 0
