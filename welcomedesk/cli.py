"""The `welcomedesk` command: administrators' and operators' tools, and the processes.

Each command group is a module of welcomedesk.commands, imported only when it runs,
so that `route` and `directory validate` start without Celery, uvicorn or the ORM.
Exit codes: 0 done, 1 failed (the reason on stderr), 2 bad usage.
"""

from __future__ import annotations

import click

from shared.directory import DirectoryError
from shared.region import RegionDataError
from shared.settings import SettingsError
from welcomedesk.commands import COMMANDS, LazyGroup


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
def welcomedesk() -> None:
    """welcomedesk: enquiry routing and case desk of the Welcome Center."""


def main(argv: list[str] | None = None) -> int:
    try:
        result = welcomedesk.main(args=argv, prog_name="welcomedesk", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as exc:  # bad usage: 2, with the usage line
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except (DirectoryError, RegionDataError, SettingsError) as exc:
        click.echo(str(exc), err=True)
        return 1
    return result if isinstance(result, int) else 0
