"""`welcomedesk token ...`: managers' API tokens."""

from __future__ import annotations

import click

from services.desk.accounts import (
    AccountError,
    create_api_token,
    list_api_tokens,
    revoke_api_token,
)
from shared.db.engine import session_scope
from shared.settings import get_settings
from welcomedesk.commands.connect import sessions


def refused(exc: AccountError) -> int:
    click.echo(f"refused: {exc.field}: {exc.message}", err=True)
    return 1


@click.group(short_help="managers' API tokens")
def token() -> None:
    """Managers' API tokens (Authorization: Bearer ...)."""


@token.command(short_help="a new API token for a manager")
@click.argument("manager_id")
def create(manager_id: str) -> int:
    """Prints a new token for the manager. Only its SHA-256 is stored: it is shown this
    once. A manager may hold several (one per tool); revoke the ones not in use."""
    try:
        with session_scope(sessions(get_settings())) as session:
            made = create_api_token(session, manager_id=manager_id)
    except AccountError as exc:
        return refused(exc)
    click.echo(made)
    return 0


@token.command("list", short_help="tokens: id, manager, made, last used, state")
@click.option("--manager", "manager_id", default=None, help="only this manager's")
def list_tokens(manager_id: str | None) -> int:
    with sessions(get_settings())() as session:
        for row in list_api_tokens(session, manager_id=manager_id):
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
            used = f"{row.used_at:%Y-%m-%d %H:%M}" if row.used_at else "never used"
            click.echo(f"{row.id}\t{row.manager_id}\t{row.created_at:%Y-%m-%d}\t{used}\t{state}")
    return 0


@token.command(short_help="a token stops working at once")
@click.argument("token_id", type=int)
def revoke(token_id: int) -> int:
    try:
        with session_scope(sessions(get_settings())) as session:
            revoke_api_token(session, token_id=token_id)
    except AccountError as exc:
        return refused(exc)
    click.echo(f"token {token_id} revoked")
    return 0
