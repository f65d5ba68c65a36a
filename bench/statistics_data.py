"""Data for `bench.statistics`, written with COPY: a year of case facts (with the persons'
previous contacts worked out as routing would) and a desk's worth of open cases for the
escalation sweep. Seeded: every run writes the same rows."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from typing import Any

import psycopg

from shared.statistics.contributions import local_day
from shared.vocabulary import REGION_LANGUAGES, TOPICS

SITES = ("braunschweig", "wolfsburg")
DISTRICTS = {
    "braunschweig": ("braunschweig", "salzgitter", "wolfenbuettel", "peine", "goslar", None),
    "wolfsburg": ("wolfsburg", "gifhorn", "helmstedt", None),
}
PARTNERS = tuple(f"p-{n:02d}" for n in range(1, 17))
OUTCOMES = ("advised", "advised", "advised", "referred", "no_response", "out_of_scope", "duplicate")
FACT_COLUMNS = (
    "enquiry_id, received_at, received_on, channel, requester_type, language, topic, district, "
    "site, needs_interpreter, person, prev_any_on, prev_site_on, status, outcome, closed_at, "
    "first_response_at, first_response_minutes, closing_minutes, partners, updated_at"
)


def _fact(rng: random.Random, key: int, person: int, at: dt.datetime) -> list[Any]:
    site = rng.choice(SITES)
    closed = rng.random() < 0.7
    first = int(rng.expovariate(1 / 240)) if rng.random() < 0.9 else None
    closing = first + int(rng.expovariate(1 / 2400)) if closed and first is not None else None
    return [
        key,
        at,
        local_day(at),
        rng.choice(("web", "web", "email", "api")),
        "employer" if rng.random() < 0.12 else "worker",
        rng.choice(REGION_LANGUAGES),
        rng.choice(TOPICS),
        rng.choice(DISTRICTS[site]),
        site,
        rng.random() < 0.08,
        person,
        None,
        None,
        "closed" if closed else rng.choice(("assigned", "accepted", "waiting", "triage")),
        rng.choice(OUTCOMES) if closed else None,
        at + dt.timedelta(days=3) if closed else None,
        at + dt.timedelta(hours=2) if first is not None else None,
        first,
        closing,
        json.dumps([rng.choice(PARTNERS)] if rng.random() < 0.1 else []),
        at,
    ]


def write_facts(url: str, count: int, year: int, seed: int = 7) -> None:
    """`count` cases received over `year` from about 0.7 x count persons."""
    rng = random.Random(seed)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    seconds = 365 * 24 * 3600
    persons = int(count * 0.7)
    rows = []
    for key in range(1, count + 1):
        at = start + dt.timedelta(seconds=rng.randrange(seconds))
        rows.append(_fact(rng, key, rng.randrange(-(2**62), 2**62) % persons, at))
    rows.sort(key=lambda r: (r[10], r[1], r[0]))  # by person, then time: previous contacts
    last: dict[Any, Any] = {}
    for row in rows:
        person, site = row[10], row[8]
        if last.get("person") == person:
            row[11] = last["on"]
            row[12] = last["sites"].get(site)
        else:
            last = {"person": person, "sites": {}}
        last["on"] = row[2]
        last["sites"][site] = row[2]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY case_facts ({FACT_COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        connection.commit()


ENQUIRY_COLUMNS = (
    "reference, status_token, correlation_id, channel, received_at, email, message, "
    "consent_processing, consent_referral, status, version, routed_at, language, "
    "understood_type, topics, district, site, manager_id, needs_interpreter, reasons, "
    "excluded, suggested_partners, assigned_at, accepted_at"
)


def write_open_cases(
    url: str, count: int, now: dt.datetime, due: dt.datetime, *, due_share: float, seed: int = 11
) -> None:
    """`count` open cases: most accepted, a tenth assigned and a twentieth in triage since
    moments of the last ninety minutes; `due_share` of those waiting since `due` or before
    (a Monday morning's reminders and reassignments after a weekend)."""
    rng = random.Random(seed)
    managers = {"braunschweig": ("m-01", "m-02"), "wolfsburg": ("m-03", "m-04")}
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY enquiries ({ENQUIRY_COLUMNS}) FROM STDIN") as copy:
            for n in range(count):
                site = rng.choice(SITES)
                roll = rng.random()
                status = "assigned" if roll < 0.1 else "triage" if roll < 0.15 else "accepted"
                if status != "accepted" and rng.random() < due_share:  # waiting long enough
                    since = due - dt.timedelta(minutes=rng.randrange(1, 600))
                else:
                    since = now - dt.timedelta(minutes=rng.randrange(1, 90))
                manager = None if status == "triage" else rng.choice(managers[site])
                copy.write_row(
                    [
                        f"WC-B-{n:07d}",
                        uuid.uuid4().hex,
                        uuid.uuid4().hex,
                        "web",
                        since,
                        f"bench.{n}@example.net",
                        "An enquiry of the benchmark.",
                        True,
                        False,
                        status,
                        1,
                        since,
                        "en",
                        "worker",
                        json.dumps(["recognition"]),
                        DISTRICTS[site][0],
                        site,
                        manager,
                        False,
                        "[]",
                        "[]",
                        "[]",
                        since if manager else None,
                        since if status == "accepted" else None,
                    ]
                )
        connection.commit()
