"""Settings from the environment: what fails fast, and what follows from what."""

from __future__ import annotations

import os

import pytest

from shared.settings import Settings, SettingsError, load
from welcomedesk.processes import proxy_options

SECRET = "unit-test-secret-0123456789"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("WELCOMEDESK_"):
            monkeypatch.delenv(name)


def test_a_missing_secret_stops_start_up_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="WELCOMEDESK_SECRET_KEY"):
        load(Settings)


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "short"])
def test_a_placeholder_secret_is_refused(monkeypatch: pytest.MonkeyPatch, placeholder: str) -> None:
    monkeypatch.setenv("WELCOMEDESK_SECRET_KEY", placeholder)
    with pytest.raises(SettingsError, match="WELCOMEDESK_SECRET_KEY"):
        load(Settings)


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
