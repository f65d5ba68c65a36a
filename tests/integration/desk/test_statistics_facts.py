"""The case facts follow every change the services make, in the change's transaction: the
routing decision opens them, the desk's accept, close, reopen, referral and correction
and a reassignment keep them current, and the counters move with them."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from services.desk.cases import corrections, lifecycle
from services.intake import service as intake
from services.intake.schemas import EnquiryCreate
from services.routing.engine import RoutingEngine
from services.routing.service import route_enquiry
from shared.directory.store import read_directory
from shared.region import load_region
from shared.statistics.contributions import Fact
from shared.statistics.facts import read_fact
from shared.statistics.rebuild import summed_counters
from tests.support.cases import ADMIN

Sessions = sessionmaker[Session]
KEY = b"facts-test-key-0123456789abcdef"


def _routed(sessions: Sessions, email: str) -> tuple[int, str]:
    received = intake.receive_enquiry(
        sessions.kw["bind"],
        data=EnquiryCreate.model_validate(
            {
                "email": email,
                "postal_code": "38440",
                "message": "Ich möchte die Anerkennung meines ausländischen Hochschulabschlusses "
                "beantragen.",
                "consent_processing": True,
                "consent_referral": True,
            }
        ),
        channel="web",
        correlation_id=uuid.uuid4().hex,
    )
    with sessions.begin() as session:
        engine = RoutingEngine(read_directory(session), load_region())
        route_enquiry(session, enquiry_id=received.enquiry_id, engine=engine, person_key=KEY)
    return received.enquiry_id, received.reference


def _fact(sessions: Sessions, enquiry_id: int) -> Fact:
    with sessions() as session:
        fact = read_fact(session.connection(), enquiry_id)
    assert fact is not None
    return fact


def _counters_agree(sessions: Sessions) -> None:
    with sessions() as session:
        from_facts = {k: n for k, n in summed_counters(session.connection()).items() if n}
        stored = session.execute(
            text("SELECT month, site, metric, value, n FROM statistics_months WHERE n <> 0")
        ).all()
    assert {(m, s, k, v): n for m, s, k, v, n in stored} == from_facts


def test_routing_opens_the_facts_and_the_desk_keeps_them(sessions: Sessions) -> None:
    email = f"facts.{uuid.uuid4().hex[:8]}@example.net"
    first, reference = _routed(sessions, email)
    fact = _fact(sessions, first)
    assert (fact.status, fact.site, fact.channel, fact.topic) == (
        "assigned",
        "wolfsburg",
        "web",
        "recognition",
    )
    assert fact.person is not None and fact.prev_any_on is None
    second, _ = _routed(sessions, email.upper())
    assert _fact(sessions, second).person == fact.person
    assert _fact(sessions, second).prev_any_on == fact.received_on

    def act(change: object) -> None:
        with sessions.begin() as session:
            change(session)  # type: ignore[operator]

    act(lambda s: lifecycle.refer(s, staff=ADMIN, reference=reference, partner_id="p-01"))
    assert _fact(sessions, first).partners == ("p-01",)
    act(
        lambda s: corrections.correct(
            s, staff=ADMIN, reference=reference, version=1, topics=["language", "recognition"]
        )
    )
    assert _fact(sessions, first).topic == "language"
    act(
        lambda s: lifecycle.close(
            s, staff=ADMIN, reference=reference, version=2, outcome="referred"
        )
    )
    closed = _fact(sessions, first)
    assert (closed.status, closed.outcome) == ("closed", "referred")
    assert closed.closing_minutes is not None and closed.first_response_at == closed.closed_at
    act(lambda s: lifecycle.reopen(s, staff=ADMIN, reference=reference, version=3))
    reopened = _fact(sessions, first)
    assert (reopened.status, reopened.outcome, reopened.closing_minutes) == ("accepted", None, None)
    assert reopened.first_response_at == closed.first_response_at  # never moves later
    _counters_agree(sessions)
