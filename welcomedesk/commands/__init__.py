"""The command groups of `welcomedesk`, one module each, imported only when used.

A new command or group is one module with a click command and one line in
COMMANDS: `welcomedesk route` then never pays for importing Celery or uvicorn.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

# name -> "module:attribute" of its click command; the order is the order of --help.
COMMANDS: Mapping[str, str] = {
    "route": "welcomedesk.commands.route:route",
    "directory": "welcomedesk.commands.directory:directory",
    "mail": "welcomedesk.commands.mail:mail",
    "staff": "welcomedesk.commands.staff:staff",
    "token": "welcomedesk.commands.token:token",
    "understanding": "welcomedesk.commands.understanding:understanding",
    "escalate": "welcomedesk.commands.timers:escalate",
    "statistics": "welcomedesk.commands.timers:statistics",
    "privacy": "welcomedesk.commands.privacy:privacy",
    "audit": "welcomedesk.commands.privacy:audit",
    "migrate": "welcomedesk.commands.services:migrate",
    "serve": "welcomedesk.commands.services:serve",
    "worker": "welcomedesk.commands.services:worker",
    "relay": "welcomedesk.commands.services:relay",
    "beat": "welcomedesk.commands.services:beat",
    "run": "welcomedesk.commands.services:run",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when they run (or when --help lists them)."""

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*self.lazy, *(n for n in super().list_commands(ctx) if n not in self.lazy)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = self.lazy[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), self.lazy[cmd_name]
        return command
