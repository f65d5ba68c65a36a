"""While the database is unreachable the intake answers 503 with Retry-After, never 500."""

from __future__ import annotations

import httpx

from shared.settings import Settings
from tests.support.inprocess import run_app
from tests.support.servers import free_port

ENQUIRY = {
    "message": "Ich möchte meinen Abschluss anerkennen lassen.",
    "email": "away@example.net",
    "consent_processing": True,
}


def test_the_intake_says_when_to_send_again_while_the_database_is_away() -> None:
    nobody = free_port()  # nothing listens here
    settings = Settings(
        secret_key="unit-test-secret-0123456789",
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{nobody}/welcomedesk",
        broker_url="redis://127.0.0.1:9/0",
    )
    answers: dict[str, httpx.Response] = {}

    async def steps(client: httpx.AsyncClient) -> None:
        answers["post"] = await client.post("/api/v1/enquiries", json=ENQUIRY)
        answers["status"] = await client.get("/api/v1/status/some-token")
        answers["health"] = await client.get("/healthz")
        answers["metrics"] = await client.get("/metrics")
        answers["ready"] = await client.get("/readyz")

    run_app(settings, steps)
    for name in ("post", "status"):
        assert answers[name].status_code == 503, (name, answers[name].text)
        assert answers[name].headers["retry-after"] == "5"
        assert "database" in answers[name].json()["detail"]
    assert answers["health"].status_code == 200
    assert answers["metrics"].status_code == 200
    assert "welcomedesk_enquiries_received_total" in answers["metrics"].text
    assert answers["ready"].status_code == 503
    assert answers["ready"].json()["database"] == "OperationalError"
