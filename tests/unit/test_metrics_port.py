"""A process whose metrics port another program holds goes on with its work and says why
its counters are missing; with the port free, the counters are served."""

from __future__ import annotations

import socket

import httpx
from structlog.testing import capture_logs

from shared.settings import Settings
from tests.support.servers import free_port
from welcomedesk.processes import start_metrics


def _settings(port: int) -> Settings:
    return Settings(
        secret_key="metrics-port-secret-0123456789",
        broker_url="memory://",
        host="127.0.0.1",
        metrics_port=port,
    )


def test_a_taken_metrics_port_is_named_in_the_log_and_the_process_goes_on() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with capture_logs() as logs:
            assert start_metrics(_settings(taken)) is False
    said = [entry for entry in logs if entry["event"] == "metrics_not_served"]
    assert len(said) == 1 and said[0]["log_level"] == "error"
    assert said[0]["port"] == taken and "WELCOMEDESK_METRICS_PORT" in said[0]["fix"]


def test_a_free_metrics_port_serves_the_counters() -> None:
    port = free_port()
    assert start_metrics(_settings(port)) is True
    answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert answer.status_code == 200 and "welcomedesk_mails_sent_total" in answer.text


def test_no_metrics_port_serves_nothing() -> None:
    settings = Settings(secret_key="metrics-port-secret-0123456789", broker_url="memory://")
    assert settings.metrics_port is None
    assert start_metrics(settings) is False
