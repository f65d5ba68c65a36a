"""Each worker and the relay serve their counters on a port of their own: a prefork
worker the sum of its children's, read here after an enquiry went through."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.servers import free_port
from tests.support.stack import Stack, build_stack, deliveries_of, enquiry
from tests.support.system import wait_until

ROLES = {
    # name: (arguments, the counter it must have counted)
    "routing": (("worker", "routing", "--concurrency", "2"), "welcomedesk_enquiries_routed_total"),
    "notifications": (
        ("worker", "notifications", "--pool", "solo"),
        "welcomedesk_mails_sent_total",
    ),
    "relay": (("relay",), "welcomedesk_events_relayed_total"),
}


@pytest.fixture(scope="module")
def ports() -> dict[str, int]:
    return {name: free_port() for name in ROLES}


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin: str, ports: dict[str, int]
) -> Iterator[Stack]:
    with build_stack(
        tmp_path_factory.mktemp("metrics"), postgres_admin, processes=("intake",)
    ) as built:
        for name, (args, _counter) in ROLES.items():
            built.system.start(name, *args, env={"WELCOMEDESK_METRICS_PORT": str(ports[name])})
        yield built


def _total(text: str, counter: str) -> float:
    """The sum of a counter over its labels, from Prometheus's text format."""
    lines = re.findall(rf"^{counter}(?:{{[^}}]*}})? ([0-9.e+]+)$", text, re.MULTILINE)
    return sum(float(value) for value in lines)


def test_each_worker_serves_its_counters_after_an_enquiry(
    stack: Stack, ports: dict[str, int]
) -> None:
    response = stack.system.post(enquiry(f"metrics.{uuid.uuid4().hex[:8]}@example.net"))
    assert response.status_code == 202, response.text
    reference = response.json()["reference"]

    def sent() -> bool:
        rows = deliveries_of(stack.db, reference)
        return len(rows) >= 2 and all(d.status == "sent" for d in rows)

    wait_until(sent, timeout=90, what="the enquiry's mails sent")
    for name, (_args, counter) in ROLES.items():
        url = f"http://127.0.0.1:{ports[name]}/metrics"

        def counted(url: str = url, counter: str = counter) -> bool:
            return _total(httpx.get(url, timeout=5).text, counter) >= 1

        wait_until(counted, timeout=10, what=f"{counter} at {name}'s port")
