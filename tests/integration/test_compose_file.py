"""docker-compose.yml is valid for Debian's docker-compose (v1.29) and wires the product up.

There is no Docker engine here: `docker-compose config` validates the file against
the schema and interpolates variables without one. A typo'd key must fail CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKER_COMPOSE = shutil.which("docker-compose")

WELCOMEDESK_SERVICES = {
    "migrate",
    "directory-import",
    "intake",
    "worker-routing",
    "worker-notifications",
    "worker-mail",
    "relay",
    "beat",
}
LONG_RUNNING = ("intake", "worker-routing", "worker-notifications", "worker-mail", "relay", "beat")


def _require_docker_compose() -> str:
    """The docker-compose binary; skip locally without it, fail under CI (`make system-deps`)."""
    if DOCKER_COMPOSE is not None:
        return DOCKER_COMPOSE
    reason = "docker-compose is not installed (run `make system-deps`)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def _compose(
    compose_file: Path, *args: str, secret_key: str | None = "test-secret-key"
) -> subprocess.CompletedProcess[str]:
    """Run `docker-compose -f FILE ARGS` in the file's folder with a controlled environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WELCOMEDESK_", "COMPOSE_"))}
    if secret_key is not None:
        env["WELCOMEDESK_SECRET_KEY"] = secret_key
    return subprocess.run(
        [_require_docker_compose(), "-f", compose_file.name, *args],
        cwd=compose_file.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    """The resolved configuration, as docker-compose prints it."""
    result = _compose(COMPOSE_FILE, "config")
    assert result.returncode == 0, result.stderr
    loaded = yaml.safe_load(result.stdout)
    assert isinstance(loaded, dict)
    return loaded


def _service(config: dict[str, Any], name: str) -> dict[str, Any]:
    service = config["services"][name]
    assert isinstance(service, dict)
    return service


def test_compose_file_is_valid() -> None:
    result = _compose(COMPOSE_FILE, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_secret_key_is_required() -> None:
    result = _compose(COMPOSE_FILE, "config", "-q", secret_key=None)
    assert result.returncode != 0
    assert "WELCOMEDESK_SECRET_KEY" in result.stderr


def test_services_are_all_there(config: dict[str, Any]) -> None:
    expected = {"postgres", "redis", "mailcatcher"} | WELCOMEDESK_SERVICES
    assert set(config["services"]) == expected


def test_backing_services_have_healthchecks(config: dict[str, Any]) -> None:
    assert "pg_isready" in _service(config, "postgres")["healthcheck"]["test"]
    assert _service(config, "redis")["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "readyz" in _service(config, "mailcatcher")["healthcheck"]["test"]
    assert _service(config, "postgres")["image"].startswith("postgres:16")
    assert _service(config, "redis")["image"].startswith("redis:7")
    assert _service(config, "mailcatcher")["image"].startswith("axllent/mailpit")
    # docker-compose 1.29 prints short syntax ("NAME:PATH:rw"); newer ones a mapping.
    mounts = [
        v if isinstance(v, str) else f"{v['source']}:{v['target']}"
        for v in _service(config, "postgres")["volumes"]
    ]
    assert any(m.startswith("postgres-data:/var/lib/postgresql/data") for m in mounts), mounts
    assert "postgres-data" in config["volumes"]


def test_intake_healthcheck_is_curl_free(config: dict[str, Any]) -> None:
    intake = _service(config, "intake")
    test = intake["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in test[3]
    assert "curl" not in " ".join(test)
    assert any(
        str(p["target"]) == "8000" and str(p["published"]) == "8000" for p in intake["ports"]
    )


def test_commands_and_one_image(config: dict[str, Any]) -> None:
    commands = {name: _service(config, name)["command"] for name in WELCOMEDESK_SERVICES}
    assert commands == {
        "migrate": ["welcomedesk", "migrate"],
        "directory-import": [
            "welcomedesk",
            "directory",
            "import",
            "/app/shared/data/demo_directory.yaml",
        ],
        "intake": ["welcomedesk", "serve"],
        "worker-routing": ["welcomedesk", "worker", "routing"],
        "worker-notifications": ["welcomedesk", "worker", "notifications"],
        "worker-mail": ["welcomedesk", "worker", "mail"],
        "relay": ["welcomedesk", "relay"],
        "beat": ["welcomedesk", "beat"],
    }
    images = {_service(config, name)["image"] for name in WELCOMEDESK_SERVICES}
    assert len(images) == 1
    for name in WELCOMEDESK_SERVICES:
        assert _service(config, name)["build"]["dockerfile"] == "deploy/Dockerfile"


def test_environment_is_shared(config: dict[str, Any]) -> None:
    for name in WELCOMEDESK_SERVICES:
        env = _service(config, name)["environment"]
        # The secret signs the form's tokens: the intake's alone.
        assert env.get("WELCOMEDESK_SECRET_KEY") == (
            "test-secret-key" if name == "intake" else None
        ), name
        assert env["WELCOMEDESK_DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert env["WELCOMEDESK_DATABASE_URL"].endswith("@postgres:5432/welcomedesk"), name
        assert env["WELCOMEDESK_BROKER_URL"] == "redis://redis:6379/0", name
        assert env["WELCOMEDESK_SMTP_URL"] == "smtp://mailcatcher:1025", name
        assert {"WELCOMEDESK_MAIL_FROM", "WELCOMEDESK_BASE_URL"} <= set(env), name
        assert str(env["WELCOMEDESK_PORT"]) == "8000", name
        assert env["WELCOMEDESK_LOG_FORMAT"] == "json", name


def test_start_order_and_restart_policy(config: dict[str, Any]) -> None:
    migrate = _service(config, "migrate")
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"
    for name in LONG_RUNNING:
        service = _service(config, name)
        depends_on = service["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
        assert service["restart"] == "unless-stopped", name
    notifications = _service(config, "worker-notifications")["depends_on"]
    assert notifications["mailcatcher"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "mailcatcher"):
        assert _service(config, name)["restart"] == "unless-stopped", name


def test_typo_in_a_key_fails_validation(tmp_path: Path) -> None:
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    control = tmp_path / "docker-compose.yml"
    control.write_text(text, encoding="utf-8")
    assert _compose(control, "config", "-q").returncode == 0

    assert "    depends_on:\n" in text
    typo = tmp_path / "typo.yml"
    typo.write_text(text.replace("    depends_on:\n", "    depends_onn:\n", 1), encoding="utf-8")
    result = _compose(typo, "config", "-q")
    assert result.returncode != 0
    assert "depends_onn" in result.stderr


# Each long-running process: (port it answers on inside its container, health path).
LISTENS = {
    "intake": ("8000", "/healthz"),
    "worker-routing": ("9101", "/metrics"),
    "worker-notifications": ("9102", "/metrics"),
    "relay": ("9103", "/metrics"),
    "worker-mail": ("9104", "/metrics"),
}


@pytest.mark.parametrize("name", sorted(LISTENS))
def test_each_process_listens_where_its_port_and_health_check_look(
    config: dict[str, Any], name: str
) -> None:
    service = _service(config, name)
    env = service["environment"]
    port, path = LISTENS[name]
    # 127.0.0.1 inside a container is reachable from nowhere else: not a published
    # port, not a scraper, only the health check.
    assert env["WELCOMEDESK_HOST"] == "0.0.0.0", name
    if name == "intake":
        assert str(env["WELCOMEDESK_PORT"]) == port
        assert any(str(p["target"]) == port for p in service["ports"])
    else:
        assert str(env["WELCOMEDESK_METRICS_PORT"]) == port, name
        assert port in [str(p) for p in service["expose"]], name
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], name
    assert f"http://127.0.0.1:{port}{path}" in test[3], name
