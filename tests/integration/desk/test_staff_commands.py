"""`welcomedesk staff ...` and `welcomedesk token ...` as an administrator types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.db import sqlite_url
from tests.support.stack import DEMO_DIRECTORY
from tests.support.system import System


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> System:
    folder: Path = tmp_path_factory.mktemp("staff-commands")
    made = System(
        env={
            "WELCOMEDESK_DATABASE_URL": sqlite_url(folder),
            "WELCOMEDESK_SECRET_KEY": "staff-commands-secret-0123456789",
        },
        workdir=folder,
    )
    for args in (("migrate",), ("directory", "import", str(DEMO_DIRECTORY))):
        done = made.cli(*args)
        assert done.returncode == 0, done.stderr
    return made


def test_an_account_gets_a_one_time_link_or_its_password(system: System) -> None:
    linked = system.cli("staff", "add", "Admin@Example.org", "--role", "admin")
    assert linked.returncode == 0, linked.stderr
    link = linked.stdout.strip().splitlines()[-1]
    assert link.startswith(f"{system.base_url}/staff/password/") and len(link) > 60
    given = system.cli(
        "staff",
        "add",
        "lucia@example.org",
        "--role",
        "manager",
        "--manager",
        "m-01",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert given.returncode == 0, given.stderr
    assert "/staff/password/" not in given.stdout
    listed = system.cli("staff", "list").stdout.splitlines()
    assert listed == [
        "admin@example.org\tadmin\t-\tactive\t-\tno password yet",
        "lucia@example.org\tmanager\tm-01\tactive\t-\tpassword set",
    ]


WRONG = (
    (("staff", "add", "not-an-address", "--role", "admin"), "email"),
    (("staff", "add", "x@example.org", "--role", "manager"), "manager"),
    (("staff", "add", "y@example.org", "--role", "manager", "--manager", "m-99"), "manager"),
    (("staff", "add", "z@example.org", "--role", "admin", "--password-stdin"), "password"),
    (("staff", "disable", "nobody@example.org"), "email"),
    (("token", "create", "m-99"), "manager"),
    (("token", "revoke", "999"), "id"),
)


def test_a_wrong_request_names_its_field_and_changes_nothing(system: System) -> None:
    before = system.cli("staff", "list").stdout
    for args, field in WRONG:
        done = system.cli(*args, stdin="short\n")
        assert done.returncode == 1, args
        assert done.stderr.startswith(f"refused: {field}: "), (args, done.stderr)
    assert system.cli("staff", "list").stdout == before


def test_disable_and_tokens(system: System) -> None:
    system.cli("staff", "add", "karim@example.org", "--role", "manager", "--manager", "m-02")
    assert system.cli("staff", "disable", "KARIM@example.org").returncode == 0
    assert "karim@example.org\tmanager\tm-02\tdisabled" in system.cli("staff", "list").stdout
    token = system.cli("token", "create", "m-02")
    assert token.returncode == 0 and len(token.stdout.strip()) >= 40
    listed = system.cli("token", "list", "--manager", "m-02").stdout.splitlines()
    assert len(listed) == 1 and listed[0].endswith("never used\tactive")
    token_id = listed[0].split("\t")[0]
    assert system.cli("token", "revoke", token_id).returncode == 0
    assert "\trevoked " in system.cli("token", "list").stdout
