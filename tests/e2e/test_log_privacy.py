"""No personal data in any log line of any process, even when the database refuses a row:
an error's traceback, its message and the statement's parameters are scrubbed alike."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from tests.support.stack import ALL_PROCESSES, Stack, build_stack, enquiry
from tests.support.system import wait_until

# A trigger that refuses marked rows, as a full disk or a broken constraint would: the
# intake's INSERT of the enquiry, and a worker's INSERT of a mail to the enquirer.
POISON = [
    "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'row refused for the test'; END $$",
    "CREATE TRIGGER refuse_enquiry BEFORE INSERT ON enquiries FOR EACH ROW "
    "WHEN (NEW.subject LIKE '%Refuse-Me%') EXECUTE FUNCTION refuse_row()",
    "CREATE TRIGGER refuse_delivery BEFORE INSERT ON deliveries FOR EACH ROW "
    "WHEN (NEW.recipient LIKE 'refused-mail.%') EXECUTE FUNCTION refuse_row()",
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("log-privacy"), postgres_admin) as built:
        with built.db.begin() as connection:
            for statement in POISON:
                connection.execute(text(statement))
        yield built


def _markers(tag: str) -> dict[str, str]:
    return {
        "name": f"Ottilie Markerfrau{tag}",
        "phone": f"+49 531 {tag[:6]}9",
        "message": f"Glasperlenspiel-{tag}: I am a welder from Manila and live in Braunschweig. "
        "How do I get my certificate recognised?",
    }


def test_no_process_logs_personal_data_when_the_database_refuses_a_row(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:10]
    refused = _markers(tag)
    intake_address = f"refused-intake.{tag}@example.net"
    response = stack.system.post(enquiry(intake_address, subject=f"Refuse-Me {tag}", **refused))
    assert response.status_code == 500, response.text  # the database said no: our fault
    assert tag not in response.text

    worker_address = f"refused-mail.{tag}@example.net"
    accepted = stack.system.post(enquiry(worker_address, **_markers(tag[::-1])))
    assert accepted.status_code == 202, accepted.text

    def refusal_logged() -> bool:
        return "row refused for the test" in stack.system.log("intake") and any(
            "row refused for the test" in stack.system.log(p) for p in ("routing", "notifications")
        )

    wait_until(refusal_logged, timeout=60, what="both refusals logged")
    markers = [
        intake_address,
        worker_address,
        f"refused-intake.{tag}",
        f"refused-mail.{tag}",
        *refused.values(),
        *_markers(tag[::-1]).values(),
        f"Markerfrau{tag}",
        f"Glasperlenspiel-{tag}",
        tag[:6] + "9",
    ]
    for process in ALL_PROCESSES:
        logged = stack.system.log(process)
        assert logged, f"{process} wrote no log"
        for marker in markers:
            assert marker.lower() not in logged.lower(), f"{process} logs {marker!r}"
    # The enquirer's status link is personal too: it opens their case.
    status = httpx.get(accepted.json()["status_url"], timeout=10)
    token = accepted.json()["status_url"].rsplit("/", 1)[1]
    assert status.status_code == 200
    for process in ALL_PROCESSES:
        assert token not in stack.system.log(process), f"{process} logs the status token"
