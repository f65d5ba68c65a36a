"""A small year of cases whose statistics a person can work out on paper (the test that
uses it does): eight cases of four enquirers at both sites, received, answered, referred
and closed at known moments, each written the way the services write it (the intake's
use case, then the facts opened as routing does and refreshed after every change)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from services.intake import service as intake
from services.intake.schemas import EnquiryCreate
from shared.db.models import DeliveryRow, EnquiryRow, ReferralRow
from shared.statistics.facts import open_case_facts, refresh_case_facts

BERLIN = ZoneInfo("Europe/Berlin")
KEY = b"statistics-test-key-0123456789"


def berlin(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment given on a Berlin clock, in UTC as the services store it (SQLite keeps
    no time zone)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


@dataclass(frozen=True)
class Case:
    contact: dict[str, str]
    received: dt.datetime
    channel: str
    requester_type: str
    language: str
    topic: str
    district: str | None
    site: str
    status: str
    interpreter: bool = False
    replied: dt.datetime | None = None
    closed: tuple[dt.datetime, str] | None = None
    referred_to: tuple[str, ...] = field(default=())


A = {"email": "Anna.Person@Example.net"}
B = {"email": "b.company@example.com", "company": "B GmbH"}
C = {"phone": "+49 151 1111111"}
D = {"email": "d.person@example.org"}
CASES = (
    Case(A, berlin(10, 20, 10), "web", "worker", "en", "recognition", "wolfsburg", "wolfsburg",
         "closed", closed=(berlin(10, 20, 14), "advised")),
    Case({"email": " anna.person@example.NET "}, berlin(11, 2, 9, 30), "email", "worker", "en",
         "language", "gifhorn", "wolfsburg", "waiting", replied=berlin(11, 2, 11)),
    Case(B, berlin(11, 6, 16), "web", "employer", "de", "employer_hiring", "wolfsburg",
         "wolfsburg", "closed", closed=(berlin(11, 9, 10), "referred"), referred_to=("p-03",)),
    Case(C, berlin(11, 30, 12), "api", "worker", "uk", "language", "braunschweig",
         "braunschweig", "triage", interpreter=True),
    Case(D, berlin(12, 1, 8), "web", "worker", "ar", "recognition", "salzgitter",
         "braunschweig", "closed", replied=berlin(12, 1, 10),
         closed=(berlin(12, 3, 9), "advised")),
    Case(A, berlin(12, 15, 10), "web", "worker", "en", "labour_market", None, "braunschweig",
         "assigned"),
    Case(B, berlin(12, 24, 10), "email", "employer", "de", "employer_hiring", None,
         "braunschweig", "closed", closed=(berlin(12, 28, 10), "duplicate")),
    # 23:30 UTC on 30 November is 1 December in Berlin: a December case.
    Case(D, dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC), "web", "worker", "ar", "living",
         "helmstedt", "wolfsburg", "accepted"),
)  # fmt: skip


def _set(session: Session, enquiry_id: int, **values: Any) -> None:
    session.execute(update(EnquiryRow).where(EnquiryRow.id == enquiry_id).values(**values))


def write_case(sessions: sessionmaker[Session], case: Case) -> int:
    body = {
        "name": "Person " + uuid.uuid4().hex[:6],
        "message": "A question for the statistics fixture.",
        "requester_type": case.requester_type,
        "consent_processing": True,
        "consent_referral": True,
        **case.contact,
    }
    received = intake.receive_enquiry(
        sessions.kw["bind"],
        data=EnquiryCreate.model_validate(body),
        channel=case.channel,
        correlation_id=uuid.uuid4().hex,
    )
    key = received.enquiry_id
    with sessions.begin() as session:  # routed, as the routing service leaves it
        status = "triage" if case.status == "triage" else "assigned"
        _set(
            session,
            key,
            received_at=case.received,
            routed_at=case.received,
            status=status,
            language=case.language,
            understood_type=case.requester_type,
            topics=[case.topic, "living"] if case.topic != "living" else [case.topic],
            district=case.district,
            site=case.site,
            needs_interpreter=case.interpreter,
        )
        open_case_facts(session.connection(), enquiry_id=key, person_key=KEY)
    with sessions.begin() as session:  # what happened to it afterwards
        connection = session.connection()
        for partner in case.referred_to:
            session.add(ReferralRow(enquiry_id=key, partner_id=partner, requested_by="m-03"))
        if case.replied is not None:
            session.add(
                DeliveryRow(
                    enquiry_id=key,
                    kind="reply",
                    recipient="someone@example.net",
                    status="sent",
                    sent_at=case.replied,
                )
            )
        session.flush()
        if case.status not in ("assigned", "triage"):
            _set(session, key, status=case.status)
        if case.closed is not None:
            _set(session, key, closed_at=case.closed[0], outcome=case.closed[1])
        refresh_case_facts(connection, enquiry_id=key)
    return key


def write_year(sessions: sessionmaker[Session]) -> list[int]:
    return [write_case(sessions, case) for case in CASES]


# Worked out by hand from CASES: cases 2 to 8 fall in November and December.
EXPECTED: dict[str, Any] = {
    "from": "2026-11-01",
    "to": "2026-12-31",
    "site": None,
    "contacts": 7,
    "persons": 4,  # A (2, 6), B (3, 7), C (4), D (8, 5)
    "first_contacts": 3,  # 3, 4, 8: case 2 is A's second contact (the first in October)
    "follow_ups": 4,
    "companies": 2,
    "needs_interpreter": 1,
    "by_channel": {"web": 4, "email": 2, "api": 1},
    "by_requester_type": {"worker": 5, "employer": 2},
    "by_language": {"ar": 2, "de": 2, "en": 2, "uk": 1},
    "by_topic": {
        "labour_market": 1,
        "recognition": 1,
        "language": 2,
        "study": 0,
        "vocational_training": 0,
        "job_application": 0,
        "employer_hiring": 2,
        "living": 1,
        "other": 0,
    },
    "by_district": {
        "unknown": 2,
        "braunschweig": 1,
        "gifhorn": 1,
        "helmstedt": 1,
        "salzgitter": 1,
        "wolfsburg": 1,
    },
    "by_site": {"braunschweig": 4, "wolfsburg": 3},
    "by_month": {"2026-11": 3, "2026-12": 4},
    "referrals": 1,
    "referrals_by_partner": {"p-03": 1},
    "closed": 3,
    "closed_by_outcome": {
        "advised": 1,
        "referred": 1,
        "no_response": 0,
        "out_of_scope": 0,
        "duplicate": 1,
    },
    # First responses 1.5 (reply), 2.0 (closing: Friday 16-17, Monday 9-10), 1.0 (reply,
    # Braunschweig opens at 9), 0.0 (Christmas closure): median 1.0, 90th percentile 2.0.
    "time_to_first_response": {"cases": 4, "median_hours": 1.0, "p90_hours": 2.0},
    # Closings 2.0, 14.0 (Tuesday and Wednesday in Braunschweig, 7 hours each), 0.0.
    "time_to_closing": {"cases": 3, "median_hours": 2.0, "p90_hours": 14.0},
}
