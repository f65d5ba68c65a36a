"""A routing worker killed in the middle of a task: the broker delivers the task again
(visibility timeout), the case is assigned once and each mail goes out once.

The worker is held inside the task by the routing service's own serialisation lock
(services/routing/service.py lock_routing), which the test takes first."""

from __future__ import annotations

import re
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, text

from tests.support.stack import (
    BASE_ENV,
    PROCESS_ARGS,
    Stack,
    build_stack,
    deliveries_of,
    enquiry,
    enquiry_by_reference,
    json_lines,
    start_process,
    unacked_since,
    wait_ready,
    wait_until_settled,
)
from tests.support.system import System, wait_until

ROUTING_LOCK = 4242001
VISIBILITY = float(BASE_ENV["WELCOMEDESK_VISIBILITY_TIMEOUT"])
# How long after the visibility timeout a task may take to come back.
SLACK = 25.0
RECEIVED = re.compile(r"Task routing\.route_enquiry\[([0-9a-f-]+)\] received")
WAITERS = text(
    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
    "WHERE d.datname = current_database() AND l.locktype = 'advisory' "
    "AND NOT l.granted AND l.objid = :key"
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(tmp_path_factory.mktemp("worker-killed"), postgres_admin) as built:
        wait_ready(built.system, "routing")
        yield built


@pytest.fixture
def two_workers(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    """A system of its own with two routing workers, `routing` and `routing-2`."""
    with build_stack(tmp_path_factory.mktemp("worker-killed-two"), postgres_admin) as built:
        built.system.start("routing-2", *PROCESS_ARGS["routing"])
        wait_ready(built.system, "routing", "routing-2")
        yield built


def _lock(stack: Stack) -> Connection:
    holder = stack.db.connect()
    holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROUTING_LOCK})
    return holder


def _waiting_for_lock(stack: Stack) -> int:
    with stack.db.connect() as connection:
        return int(connection.execute(WAITERS, {"key": ROUTING_LOCK}).scalar_one())


def _taken_by(system: System, names: list[str]) -> tuple[str, str] | None:
    """(worker name, task id) of the worker whose log shows the routing task received."""
    for name in names:
        found = RECEIVED.findall(system.log(name))
        if found:
            return name, found[0]
    return None


def _post_and_kill_the_worker_inside(stack: Stack, workers: list[str]) -> tuple[str, str, str]:
    """Posts an enquiry, waits until a worker blocks inside its task, SIGKILLs it, releases
    the lock; returns the reference, the enquirer's address and the task id."""
    system = stack.system
    address = f"killed.{uuid.uuid4().hex[:8]}@example.net"
    holder = _lock(stack)
    try:
        response = system.post(enquiry(address))
        assert response.status_code == 202, response.text
        reference = response.json()["reference"]
        worker, task_id = wait_until(
            lambda: _taken_by(system, workers), timeout=30, what="a worker receiving the task"
        )
        wait_until(lambda: _waiting_for_lock(stack), timeout=30, what="the worker on the lock")
        system.stop(worker, signal.SIGKILL)
        row = enquiry_by_reference(stack.db, reference)
        assert row is not None and row.routed_at is None and row.status == "received"
    finally:
        holder.rollback()  # releases the lock
        holder.close()
    return reference, address, task_id


def _check_done_once(stack: Stack, reference: str, address: str) -> None:
    def both_sent() -> bool:
        return [d.status for d in deliveries_of(stack.db, reference)] == ["sent", "sent"]

    wait_until(both_sent, timeout=60, what="both mails sent")
    wait_until_settled(stack.db, stack.redis.url)

    row = enquiry_by_reference(stack.db, reference)
    assert row is not None and row.status == "assigned" and row.manager_id is not None
    deliveries = deliveries_of(stack.db, reference)
    assert sorted(d.kind for d in deliveries) == ["confirmation", "manager"]
    manager_address = next(d.recipient for d in deliveries if d.kind == "manager")

    logs = "\n".join(stack.system.log(name) for name in ("routing", "routing-2"))
    routed = [
        line
        for line in json_lines(logs)
        if line.get("event") == "enquiry_routed" and line.get("reference") == reference
    ]
    assert [line["outcome"] for line in routed] == ["assigned"]

    received = stack.smtp.with_reference(reference)
    per_recipient = Counter(rcpt for r in received for rcpt in r.rcpt_tos)
    assert per_recipient == {address: 1, manager_address: 1}


def test_a_new_worker_takes_the_killed_workers_task_and_does_it_once(stack: Stack) -> None:
    reference, address, task_id = _post_and_kill_the_worker_inside(stack, ["routing"])

    # The replacement starts once the task's visibility timeout has passed: a worker
    # looks for such tasks when it starts (see the next test for one already running).
    taken = unacked_since(stack.redis.url, task_id)
    assert taken is not None, "the killed worker's task is no longer held for it"
    wait_until(
        lambda: time.time() > taken + VISIBILITY + 0.5,
        timeout=VISIBILITY + 5,
        what="the visibility timeout",
    )
    before = len(stack.system.log("routing"))
    start_process(stack.system, "routing")

    # The same task (same id), not a new one: the broker gave it back.
    wait_until(
        lambda: task_id in RECEIVED.findall(stack.system.log("routing")[before:]),
        timeout=VISIBILITY + SLACK,
        what="the task delivered again to the new worker",
    )
    _check_done_once(stack, reference, address)


def test_a_running_worker_takes_over_the_killed_workers_task_after_the_timeout(
    two_workers: Stack,
) -> None:
    workers = ["routing", "routing-2"]
    reference, address, task_id = _post_and_kill_the_worker_inside(two_workers, workers)
    survivor = next(name for name in workers if name in two_workers.system.processes)

    wait_until(
        lambda: task_id in RECEIVED.findall(two_workers.system.log(survivor)),
        timeout=VISIBILITY + SLACK,
        what="the task delivered again to the running worker",
    )
    _check_done_once(two_workers, reference, address)
