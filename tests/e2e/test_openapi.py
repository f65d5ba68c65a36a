"""The intake's OpenAPI document tells the truth: schemathesis, bounded, against the real
intake on PostgreSQL finds no server error, no undocumented status code and no answer
that differs from its documented schema; /docs works without any network."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.stack import Stack, build_stack
from tests.support.system import ROOT

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
TOKEN = "inbound-token-0123456789abcdef"
EXAMPLES = 150  # per operation and phase: some 2,000 requests, under a minute
STAFF = "^/api/v1/(cases|me|reply-templates|statistics)"
STAFF_EXAMPLES = 40


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(
        tmp_path_factory.mktemp("openapi"),
        postgres_admin,
        env={
            "WELCOMEDESK_RATE_LIMIT": "100000/minute",  # the run is not about the limit
            "WELCOMEDESK_INBOUND_TOKEN": TOKEN,
        },
        processes=("intake",),
    ) as built:
        yield built


def _schemathesis(
    stack: Stack, tmp_path: Path, *, token: str, examples: int, only: list[str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{stack.system.base_url}/openapi.json",
            *only,
            "--checks",
            CHECKS,
            "--max-examples",
            str(examples),
            "--seed",
            "20261206",
            "--generation-database",
            "none",
            "--workers",
            "1",  # hypothesis parses lambdas with ast, which is not thread-safe on 3.11
            "--no-color",
            "--report",
            "json",
            "--report-json-path",
            str(report),
            "--header",
            f"Authorization: Bearer {token}",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.support.schemathesis_hooks",
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done, json.loads(report.read_text(encoding="utf-8"))


def test_every_answer_is_documented_and_none_is_a_server_error(
    stack: Stack, tmp_path: Path
) -> None:
    # The intake's operations with the raw-mail token: raw mail is taken, and stored, too.
    done, found = _schemathesis(
        stack, tmp_path, token=TOKEN, examples=EXAMPLES, only=["--exclude-path-regex", STAFF]
    )
    summary = done.stdout[-6000:]
    assert done.returncode == 0, summary
    cases = found["test_cases"]
    assert (cases["with_failures"], cases["errored"], found["errors"]) == (0, 0, []), summary
    assert found["operations"]["tested"] == found["operations"]["selected"] >= 3, summary
    # A run that sent next to nothing would prove nothing.
    assert cases["generated"] >= 500, summary
    print(f"schemathesis: {cases['generated']} requests, 0 server errors, 0 undocumented codes")


def test_the_staff_api_too_with_a_managers_token(stack: Stack, tmp_path: Path) -> None:
    made = stack.system.cli("token", "create", "m-01")
    assert made.returncode == 0, made.stderr
    done, found = _schemathesis(
        stack,
        tmp_path,
        token=made.stdout.strip(),
        examples=STAFF_EXAMPLES,
        only=["--include-path-regex", STAFF],
    )
    summary = done.stdout[-6000:]
    assert done.returncode == 0, summary
    cases = found["test_cases"]
    assert (cases["with_failures"], cases["errored"], found["errors"]) == (0, 0, []), summary
    assert found["operations"]["tested"] == found["operations"]["selected"] >= 10, summary
    assert not found["warnings"]["missing_auth"], summary  # the token was taken


def test_the_api_docs_load_nothing_from_elsewhere(stack: Stack) -> None:
    base = stack.system.base_url
    page = httpx.get(f"{base}/docs", timeout=10)
    assert page.status_code == 200, page.text
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assert assets, page.text
    for asset in assets:
        assert asset.startswith("/"), f"/docs loads {asset}"
        loaded = httpx.get(f"{base}{asset}", timeout=10)
        assert loaded.status_code == 200 and loaded.content, asset
    assert "://" not in re.sub(r"https?://(127\.0\.0\.1|localhost)[:/]", "", page.text)
    spec = httpx.get(f"{base}/openapi.json", timeout=10).json()
    enquiries = spec["paths"]["/api/v1/enquiries"]["post"]["responses"]
    assert {"202", "400", "409", "413", "422", "429", "503"} <= set(enquiries)
    status = spec["paths"]["/api/v1/status/{token}"]["get"]["responses"]
    assert {"200", "400", "404", "422", "429", "503"} <= set(status)
