"""The processes' logs: JSON lines that carry one correlation id from the request to the
mail, and no personal data of the enquirer (e-mail address, name, phone, message)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.stack import (
    ALL_PROCESSES,
    Stack,
    build_stack,
    deliveries_of,
    enquiry,
    json_lines,
    wait_until_settled,
)
from tests.support.system import wait_until


@dataclass(frozen=True)
class Traced:
    """An enquiry that went through, with what the enquirer told us that is personal."""

    reference: str
    correlation_id: str
    personal: tuple[str, ...]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("logs"), postgres_admin) as built:
        yield built


def _through(stack: Stack, reference: str) -> None:
    def all_sent() -> bool:
        rows = deliveries_of(stack.db, reference)
        return len(rows) >= 2 and all(d.status == "sent" for d in rows)

    wait_until(all_sent, timeout=60, what="every mail of the enquiry sent")
    wait_until_settled(stack.db, stack.redis.url)


@pytest.fixture(scope="module")
def traced(stack: Stack) -> Traced:
    tag = uuid.uuid4().hex[:6]
    name = f"Quirinius Zebulon-Vantablack{tag}"
    address = f"quirinius.vantablack.{tag}@example.net"
    phone = "+49 531 7788991"
    message = (
        f"Marmalade-Xylophone-{tag}: I am a nurse from Manila and live in Braunschweig. "
        "How do I get my nursing diploma recognised, and which German course do I need?"
    )
    response = stack.system.post(
        enquiry(address, name=name, phone=phone, message=message, consent_referral=True)
    )
    assert response.status_code == 202, response.text
    correlation_id = response.headers.get("x-correlation-id", "")
    assert correlation_id, "no x-correlation-id in the intake's answer"
    reference = response.json()["reference"]
    _through(stack, reference)
    personal = (address, address.split("@")[0], name, "Vantablack", phone, "7788991", message)
    return Traced(reference, correlation_id, (*personal, f"Marmalade-Xylophone-{tag}"))


def _lines(stack: Stack, name: str) -> list[dict[str, Any]]:
    return json_lines(stack.system.log(name))


def test_the_workers_log_the_correlation_id_of_the_request(stack: Stack, traced: Traced) -> None:
    routing = _lines(stack, "routing")
    notifications = _lines(stack, "notifications")
    assert routing and notifications, "no JSON log lines from the workers"

    routed = [line for line in routing if line.get("reference") == traced.reference]
    assert [line.get("event") for line in routed] == ["enquiry_routed"]
    deliveries = {d.id for d in deliveries_of(stack.db, traced.reference)}
    mailed = [line for line in notifications if line.get("delivery_id") in deliveries]
    delivered = {line["delivery_id"] for line in mailed if line.get("event") == "mail_delivered"}
    assert delivered == deliveries

    # One id for the whole way, the one the intake answered with.
    assert {line.get("correlation_id") for line in routed + mailed} == {traced.correlation_id}


def test_the_correlation_id_given_by_the_caller_is_kept(stack: Stack) -> None:
    given = f"caller-{uuid.uuid4().hex}"
    response = stack.system.post(
        enquiry(f"given.{uuid.uuid4().hex[:8]}@example.net"), **{"X-Correlation-ID": given}
    )
    assert response.status_code == 202, response.text
    assert response.headers.get("x-correlation-id") == given
    _through(stack, response.json()["reference"])
    routed = [
        line
        for line in _lines(stack, "routing")
        if line.get("event") == "enquiry_routed"
        and line.get("reference") == response.json()["reference"]
    ]
    assert [line.get("correlation_id") for line in routed] == [given]


def test_the_intake_logs_the_accepted_enquiry_under_its_correlation_id(
    stack: Stack, traced: Traced
) -> None:
    intake = _lines(stack, "intake")
    assert any(line.get("correlation_id") == traced.correlation_id for line in intake)


def test_a_refused_recipient_is_not_logged(stack: Stack) -> None:
    """A mail server's answer names the recipient; retried, it must not reach the logs."""
    address = f"refused.rcpt.{uuid.uuid4().hex[:8]}@example.net"
    stack.smtp.refuse_recipients.add(address)
    try:
        response = stack.system.post(enquiry(address))
        assert response.status_code == 202, response.text
        reference = response.json()["reference"]

        def failed() -> bool:
            return any(
                d.status == "failed" and d.kind == "confirmation"
                for d in deliveries_of(stack.db, reference)
            )

        wait_until(failed, timeout=30, what="the confirmation refused once")
    finally:
        stack.smtp.refuse_recipients.discard(address)
    _through(stack, reference)
    for process in ALL_PROCESSES:
        text = stack.system.log(process).lower()
        assert address not in text, f"{process} logs the refused address"
        assert address.split("@")[0] not in text, f"{process} logs the refused address"


@pytest.mark.parametrize("process", ALL_PROCESSES)
def test_no_log_line_carries_the_enquirers_personal_data(
    stack: Stack, traced: Traced, process: str
) -> None:
    text = stack.system.log(process).lower()
    assert text, f"{process} wrote no log"
    for personal in traced.personal:
        assert personal.lower() not in text, f"{process} logs {personal!r}"
