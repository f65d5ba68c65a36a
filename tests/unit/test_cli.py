"""The command line: every command listed, usage errors exit 2, failures 1 on stderr, the
one-shot commands on a database of their own, and `route` starting without the servers'
libraries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from shared.db.models import ApiTokenRow
from shared.tokens import token_digest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "shared" / "data" / "demo_directory.yaml"
COMMANDS = (
    "route",
    "directory",
    "mail",
    "staff",
    "token",
    "understanding",
    "escalate",
    "statistics",
    "privacy",
    "audit",
    "migrate",
    "serve",
    "worker",
    "relay",
    "beat",
    "run",
)


def _run(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WELCOMEDESK_")}
    return subprocess.run(
        [sys.executable, "-m", "welcomedesk", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_every_command() -> None:
    done = _run("--help")
    assert done.returncode == 0, done.stderr
    listed = [
        line.split()[0]
        for line in done.stdout.split("Commands:")[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ")  # not a wrapped line
    ]
    assert tuple(listed) == COMMANDS


@pytest.mark.parametrize(
    "args",
    [
        ("no-such-command",),
        ("worker", "nowhere"),
        ("worker", "routing", "--concurrency", "none"),
        ("route",),  # --directory is required
        ("route", "--directory", str(DEMO), "--at", "yesterday"),
        ("mail", "dead-letters", "3"),  # ids without --resend
        ("mail", "dead-letters", "--resend"),  # --resend without ids
        ("mail", "inbound", "--limit", "0"),
        ("token", "create"),
        ("staff", "add", "x@example.org"),  # --role is required
        ("staff", "add", "x@example.org", "--role", "boss"),
        ("understanding", "corrections", "--since", "last week"),
    ],
    ids=lambda a: "-".join(a)[:40],
)
def test_bad_usage_exits_2_naming_the_problem(args: tuple[str, ...]) -> None:
    done = _run(*args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Usage: welcomedesk" in done.stderr
    assert "Error:" in done.stderr
    assert done.stdout == ""


def test_route_starts_without_the_servers_libraries() -> None:
    probe = (
        "import sys; from welcomedesk.cli import main; "
        f"code = main(['route', '--directory', {str(DEMO)!r}, '--input', '/dev/null']); "
        "heavy = sorted(m for m in ('celery', 'uvicorn', 'kombu', 'fastapi', 'sqlalchemy.orm') "
        "if m in sys.modules); print(code, heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "0 []", (done.stdout, done.stderr)


@pytest.mark.slow
def test_the_one_shot_commands_on_a_database_of_their_own(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wd.sqlite'}"
    env = {"WELCOMEDESK_DATABASE_URL": url}  # no secret: one-shot commands sign nothing
    for args in (("migrate",), ("directory", "import", str(DEMO))):
        done = _run(*args, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr

    issued = _run("token", "create", "m-01", cwd=tmp_path, env=env)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert len(token) >= 40
    engine = create_engine(url)
    with Session(engine) as session:
        stored = session.scalar(
            select(ApiTokenRow.token_hash).where(ApiTokenRow.manager_id == "m-01")
        )
    engine.dispose()
    assert stored == token_digest(token) and token not in (stored or "")

    unknown = _run("token", "create", "m-99", cwd=tmp_path, env=env)
    assert unknown.returncode == 1 and "m-99" in unknown.stderr and unknown.stdout == ""

    exported = _run("directory", "export", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "m-01" in exported.stdout and "braunschweig" in exported.stdout

    letters = _run("mail", "dead-letters", cwd=tmp_path, env=env)
    assert (letters.returncode, letters.stdout, letters.stderr.strip()) == (
        0,
        "",
        "0 dead letter(s)",
    )
    resend = _run("mail", "dead-letters", "--resend", "7", cwd=tmp_path, env=env)
    assert resend.returncode == 1 and "not dead letters: 7" in resend.stderr

    missing = _run("directory", "import", str(tmp_path / "none.yaml"), cwd=tmp_path, env=env)
    assert missing.returncode == 1 and "none.yaml" in missing.stderr
