"""Settings from the environment: what fails fast, and what follows from what."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shared.settings import IntakeSettings, PublicSettings, Settings, SettingsError, load
from welcomedesk.processes import proxy_options

SECRET = "unit-test-secret-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("WELCOMEDESK_"):
            monkeypatch.delenv(name)


SERVERS = {
    "WELCOMEDESK_DATABASE_URL": "postgresql+psycopg://wd@db/wd",
    "WELCOMEDESK_BROKER_URL": "redis://broker:6379/0",
}


def _servers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SERVERS.items():
        monkeypatch.setenv(name, value)


def test_a_missing_secret_stops_the_intake_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _servers(monkeypatch)
    monkeypatch.setenv("WELCOMEDESK_BASE_URL", "https://welcome.example.org")
    with pytest.raises(SettingsError, match="WELCOMEDESK_SECRET_KEY"):
        load(IntakeSettings)


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "short"])
def test_a_placeholder_secret_is_refused(monkeypatch: pytest.MonkeyPatch, placeholder: str) -> None:
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", placeholder)
    with pytest.raises(SettingsError, match="WELCOMEDESK_SECRET_KEY"):
        load(Settings)


def test_workers_relay_and_one_shot_commands_need_no_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _servers(monkeypatch)
    assert load(Settings).secret_key == ""
    monkeypatch.setenv("WELCOMEDESK_BASE_URL", "https://welcome.example.org")
    assert load(PublicSettings).base_url == "https://welcome.example.org"


@pytest.mark.parametrize("settings", [PublicSettings, IntakeSettings])
def test_outside_the_embedded_default_links_need_the_public_address(
    monkeypatch: pytest.MonkeyPatch, settings: type[Settings]
) -> None:
    _servers(monkeypatch)
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", SECRET)
    with pytest.raises(SettingsError, match="WELCOMEDESK_BASE_URL"):
        load(settings)
    assert load(Settings).base_url == ""  # a worker that writes no link does not guess


def test_on_the_embedded_default_the_intake_keeps_its_secret_in_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    first = load(IntakeSettings)
    assert len(first.secret_key) >= 32
    assert (tmp_path / "var" / "secret_key").read_text().strip() == first.secret_key
    assert load(IntakeSettings).secret_key == first.secret_key
    assert first.base_url == "http://127.0.0.1:8000"


def test_links_follow_the_port_the_intake_listens_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", SECRET)
    monkeypatch.setenv("WELCOMEDESK_PORT", "8123")
    assert load(Settings).base_url == "http://127.0.0.1:8123"


def test_a_public_address_given_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", SECRET)
    monkeypatch.setenv("WELCOMEDESK_PORT", "8123")
    monkeypatch.setenv("WELCOMEDESK_BASE_URL", "https://welcome.example.org")
    assert load(Settings).base_url == "https://welcome.example.org"


def test_no_proxy_is_trusted_unless_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", SECRET)
    assert proxy_options(load(Settings)) == {"proxy_headers": False, "forwarded_allow_ips": ""}
    monkeypatch.setenv("WELCOMEDESK_TRUSTED_PROXIES", "10.0.0.5, 192.168.1.0/24")
    assert proxy_options(load(Settings)) == {
        "proxy_headers": True,
        "forwarded_allow_ips": "10.0.0.5,192.168.1.0/24",
    }
