"""The broker goes away: the intake still accepts and stores enquiries, and once the broker
is back the relay publishes what could not be published; every mail goes out once."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import OutboxRow
from shared.events import ROUTE_ENQUIRY
from tests.support.stack import (
    Stack,
    build_stack,
    deliveries_of,
    enquiry,
    enquiry_by_reference,
    json_lines,
    start_process,
    wait_until_settled,
)
from tests.support.system import wait_until

POSTS = 5


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("broker-down"), postgres_admin) as built:
        # The relay must be running before the broker goes away, or it has nothing to
        # try and fail: on a busy machine its start takes a while.
        wait_until(lambda: "relay_started" in built.system.log("relay"), timeout=90)
        yield built


def _route_events(stack: Stack, enquiry_ids: set[int]) -> list[OutboxRow]:
    with Session(stack.db) as session:
        rows = session.scalars(select(OutboxRow).where(OutboxRow.task == ROUTE_ENQUIRY))
        return [row for row in rows if row.payload.get("enquiry_id") in enquiry_ids]


def _post_while_broker_down(stack: Stack, tag: str, *, relay_runs: bool) -> dict[str, str]:
    """Stops the broker, posts, checks what is stored, starts the broker again; returns
    each enquirer's address by reference."""
    stack.redis.stop()
    try:
        by_reference: dict[str, str] = {}
        for i in range(POSTS):
            address = f"{tag}.{i}.{uuid.uuid4().hex[:8]}@example.net"
            response = stack.system.post(enquiry(address))
            assert response.status_code == 202, response.text
            by_reference[response.json()["reference"]] = address
        assert len(by_reference) == POSTS

        rows = [enquiry_by_reference(stack.db, reference) for reference in by_reference]
        assert all(row is not None and row.status == "received" for row in rows)
        ids = {row.id for row in rows if row is not None}

        # Every event stored, none published; a running relay tried and failed.
        def stored() -> list[OutboxRow]:
            events = _route_events(stack, ids)
            tried = not relay_runs or any(e.attempts >= 1 for e in events)
            return events if len(events) == POSTS and tried else []

        events = wait_until(stored, timeout=20, what="the events stored (and a failed publish)")
        assert all(event.published_at is None for event in events)
    finally:
        stack.redis.start()  # same port: the processes find it again
    return by_reference


def _check_each_mail_once(stack: Stack, by_reference: dict[str, str]) -> None:
    references = list(by_reference)

    def all_sent() -> bool:
        return all(
            [d.status for d in deliveries_of(stack.db, reference)] == ["sent", "sent"]
            for reference in references
        )

    wait_until(all_sent, timeout=90, what="both mails of every enquiry sent")
    wait_until_settled(stack.db, stack.redis.url)

    for reference, address in by_reference.items():
        row = enquiry_by_reference(stack.db, reference)
        assert row is not None and row.status == "assigned" and row.routed_at is not None
        deliveries = deliveries_of(stack.db, reference)
        assert sorted((d.kind, d.status) for d in deliveries) == [
            ("confirmation", "sent"),
            ("manager", "sent"),
        ]
        assert next(d.recipient for d in deliveries if d.kind == "confirmation") == address

    received = [r for reference in references for r in stack.smtp.with_reference(reference)]
    assert len(received) == 2 * POSTS
    per_reference = Counter(
        reference
        for r in received
        for reference in references
        if reference in str(r.message["Subject"])
    )
    assert per_reference == dict.fromkeys(references, 2)
    per_recipient = Counter(rcpt for r in received for rcpt in r.rcpt_tos)
    for address in by_reference.values():
        assert per_recipient[address] == 1
    per_mail = Counter(
        (reference, rcpt)
        for r in received
        for rcpt in r.rcpt_tos
        for reference in references
        if reference in str(r.message["Subject"])
    )
    assert len(per_mail) == 2 * POSTS
    assert set(per_mail.values()) == {1}


def test_enquiries_posted_while_the_broker_is_down_are_routed_and_mailed_once(
    stack: Stack,
) -> None:
    by_reference = _post_while_broker_down(stack, "down", relay_runs=True)
    _check_each_mail_once(stack, by_reference)


def test_without_the_relay_process_the_beat_sweep_publishes_what_waited(stack: Stack) -> None:
    stack.system.stop("relay")
    try:
        before = len(stack.system.log("routing"))
        by_reference = _post_while_broker_down(stack, "beat", relay_runs=False)
        _check_each_mail_once(stack, by_reference)
        # The beat's sweep ran in the routing worker and published the waiting events.
        lines = json_lines(stack.system.log("routing")[before:])
        swept = [line["published"] for line in lines if line.get("event") == "outbox_swept"]
        assert sum(swept) >= POSTS
    finally:
        start_process(stack.system, "relay")
