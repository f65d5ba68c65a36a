"""`welcomedesk token ...`: managers' API tokens."""

from __future__ import annotations

import click

from shared.db.engine import session_scope
from shared.settings import get_settings
from shared.tokens import issue_manager_token
from welcomedesk.commands.connect import sessions


@click.group(short_help="managers' API tokens")
def token() -> None:
    """Managers' API tokens (Authorization: Bearer ...)."""


@token.command(short_help="a new API token for a manager")
@click.argument("manager_id")
def create(manager_id: str) -> int:
    """Prints a new token for the manager, replacing an earlier one. Only its hash is
    stored: it is shown this once."""
    with session_scope(sessions(get_settings())) as session:
        issued = issue_manager_token(session, manager_id=manager_id)
    if issued is None:
        click.echo(f"no manager {manager_id!r}", err=True)
        return 1
    click.echo(issued)
    return 0
