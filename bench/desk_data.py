"""A desk's worth of data, made fast: 40 managers with staff accounts and 100,000 cases
over two years, each with its history and mails, and a few thousand thread messages.
Written with COPY; part of `python -m bench.workspace`."""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import yaml
from sqlalchemy.engine import make_url

from bench.routing import example_enquiries
from services.desk.accounts import add_staff
from services.desk.passwords import hash_password
from shared.db.engine import make_engine, session_factory, session_scope
from shared.db.migrate import upgrade
from shared.directory import DEMO_DIRECTORY, load_directory
from shared.directory.store import import_directory
from shared.region import load_region
from shared.vocabulary import CHANNELS, OUTCOMES, TOPICS

PASSWORD = "a long enough benchmark password"
BEFORE_INDEXES = "0007"  # the schema before the list indexes
ADMIN = "admin@example.org"
NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
FIRST = ["Ana", "Karim", "Oksana", "Deniz", "Wei", "Priya", "Luca", "Elena", "Tomasz", "Sara"]
LAST = ["Costa", "Haddad", "Kovalenko", "Yilmaz", "Chen", "Sharma", "Rossi", "Popescu", "Nowak"]
# A case's status, how often, and its version after the changes that led there.
STATUSES = [
    ("closed", 0.80, 3),
    ("accepted", 0.06, 2),
    ("waiting", 0.04, 3),
    ("assigned", 0.05, 1),
    ("triage", 0.03, 1),
    ("received", 0.02, 1),
]


@dataclass
class Workspace:
    """What the load needs to know about the data: who signs in, and which cases they have."""

    managers: dict[str, str] = field(default_factory=dict)  # manager id -> e-mail
    cases: dict[str, list[str]] = field(default_factory=dict)  # manager id -> references
    # manager id -> (reference, version) of each case assigned and not yet accepted
    assigned: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    migration: float = 0.0  # seconds the later migrations took on the full tables


def directory_file(folder: Path, managers: int) -> Path:
    """The demo directory's sites and partners, with `managers` managers shared between them."""
    data = yaml.safe_load(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    sites = [s["code"] for s in data["sites"]]
    rng = random.Random(3)
    data["managers"] = [
        {
            "id": f"m-{i:02d}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "email": f"manager{i:02d}@example.org",
            "site": sites[i % len(sites)],
            "languages": ["de", "en"],
            "topics": [],
            "capacity": 10_000,  # the most the directory allows
            "active": True,
        }
        for i in range(1, managers + 1)
    ]
    path = folder / "directory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _accounts(db_url: str, directory: Path) -> dict[str, str]:
    """The directory imported, an account per manager and one administrator, all with one
    password (hashed once: Argon2 takes a fifth of a second a hash)."""
    region = load_region()
    engine = make_engine(db_url)
    hashed = hash_password(PASSWORD)
    try:
        with session_scope(session_factory(engine)) as session:
            loaded = load_directory(directory, districts=region.districts)
            import_directory(session, loaded)
            people = [(m.email, "manager", m.id) for m in loaded.managers]
            for email, role, manager_id in [*people, (ADMIN, "admin", None)]:
                made = add_staff(session, email=email, role=role, manager_id=manager_id)
                made.staff.password_hash = hashed
            return {m.id: m.email for m in loaded.managers}
    finally:
        engine.dispose()


def _copy(
    connection: psycopg.Connection[Any], table: str, columns: Sequence[str], rows: Iterable[Any]
) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


ENQUIRY_COLUMNS = (
    *("id", "reference", "status_token", "correlation_id", "channel", "received_at"),
    *("requester_type", "name", "email", "company", "preferred_language", "subject", "message"),
    *("consent_processing", "consent_referral", "status", "version", "routed_at", "language"),
    *("topics", "site", "manager_id", "needs_interpreter", "reasons", "excluded"),
    *("suggested_partners", "assigned_at", "accepted_at", "closed_at", "outcome"),
)
HISTORY_COLUMNS = ("enquiry_id", "at", "actor", "action", "details")
DELIVERY_COLUMNS = (
    "enquiry_id",
    "kind",
    "recipient",
    "status",
    "attempts",
    "created_at",
    "sent_at",
)
MESSAGE_COLUMNS = ("enquiry_id", "direction", "kind", "sender", "received_at", "subject", "text")


@dataclass
class _Rows:
    """The rows to copy, made one case at a time."""

    work: Workspace
    sites: dict[str, str]  # manager id -> site
    rng: random.Random
    examples: list[dict[str, Any]] = field(default_factory=example_enquiries)
    enquiries: list[tuple[Any, ...]] = field(default_factory=list)
    history: list[tuple[Any, ...]] = field(default_factory=list)
    deliveries: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)

    def case(self, i: int, status: str, version: int, manager: str | None) -> None:
        rng = self.rng
        days = rng.uniform(0, 730) if status == "closed" else rng.uniform(0, 60)
        received = NOW - dt.timedelta(days=days, seconds=rng.uniform(0, 600))
        routed = received + dt.timedelta(minutes=1)
        example = self.examples[i % len(self.examples)]
        language = str(example["id"]).split("-")[0]
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.lower().replace(' ', '.')}.{i}@example.net"
        site = self.sites[manager] if manager else None
        if status == "triage":
            site = rng.choice(sorted(set(self.sites.values())))
        reference = f"WC-{received.year}-{i:06d}"
        taken = status in ("accepted", "waiting", "closed")
        accepted = routed + dt.timedelta(hours=3) if taken else None
        closed = routed + dt.timedelta(days=rng.uniform(1, 30)) if status == "closed" else None
        employer = rng.random() < 0.15
        topics = json.dumps(rng.sample(TOPICS, rng.randint(1, 2)))
        self.enquiries.append(
            (
                *(i, reference, uuid.uuid4().hex, uuid.uuid4().hex),
                *(rng.choices(CHANNELS, [0.7, 0.25, 0.05])[0], received),
                *("employer" if employer else "worker", name, email),
                *("Beispiel GmbH" if employer else None, language),
                *(
                    example["subject"] or None,
                    example["message"],
                    True,
                    example["consent_referral"],
                ),
                *(status, version, routed if status != "received" else None, language, topics),
                *(site, manager, rng.random() < 0.1, json.dumps([f"speaks {language}"]), "[]"),
                *("[]", routed if manager else None, accepted, closed),
                rng.choice(OUTCOMES) if closed else None,
            )
        )
        actor = self.work.managers.get(manager or "", "")
        if status != "received":
            self.history.append((i, routed, "routing", "routed" if manager else "triage", "{}"))
        if accepted:
            self.history.append((i, accepted, actor, "accepted", "{}"))
        if closed:
            self.history.append((i, closed, actor, "closed", '{"outcome": "advised"}'))
        self.deliveries.append((i, "confirmation", email, "sent", 1, received, received))
        if manager is None:
            return
        self.deliveries.append((i, "manager", actor, "sent", 1, routed, routed))
        self.work.cases.setdefault(manager, []).append(reference)
        if status == "assigned":
            self.work.assigned.setdefault(manager, []).append((reference, version))
        if rng.random() < 0.03:  # a few thousand messages on a few thousand cases
            for k in range(rng.randint(1, 3)):
                at = routed + dt.timedelta(hours=k + 1)
                kind = ("in", "follow_up", email) if k % 2 == 0 else ("internal", "note", actor)
                self.messages.append((i, *kind, at, example["subject"], example["message"]))


def fill(
    db_url: str, folder: Path, *, cases: int, managers: int, fresh: int, seed: int = 11
) -> Workspace:
    """Fills the empty database at `db_url`. Each manager has at least `fresh` cases
    assigned and not yet accepted (the first cases made). The cases go in at the schema
    the desk came with, and the later migrations (the lists' indexes) run on the full
    table, as they do on a desk in use, and quicker than indexing row by row."""
    upgrade(db_url, BEFORE_INDEXES)
    directory = directory_file(folder, managers)
    work = Workspace(managers=_accounts(db_url, directory))
    sites = {m["id"]: m["site"] for m in yaml.safe_load(directory.read_text())["managers"]}
    rng = random.Random(seed)
    rows = _Rows(work, sites, rng)
    ids = sorted(work.managers)
    weights = [w for _, w, _ in STATUSES]
    for i in range(1, cases + 1):
        if i <= fresh * len(ids):
            rows.case(i, "assigned", 1, ids[i % len(ids)])
            continue
        status, _, version = rng.choices(STATUSES, weights)[0]
        manager = rng.choice(ids) if status not in ("triage", "received") else None
        rows.case(i, status, version, manager)
    with psycopg.connect(_conninfo(db_url)) as connection:
        _copy(connection, "enquiries", ENQUIRY_COLUMNS, rows.enquiries)
        _copy(connection, "case_history", HISTORY_COLUMNS, rows.history)
        _copy(connection, "deliveries", DELIVERY_COLUMNS, rows.deliveries)
        _copy(connection, "case_messages", MESSAGE_COLUMNS, rows.messages)
        connection.execute(f"SELECT setval(pg_get_serial_sequence('enquiries', 'id'), {cases})")
        connection.commit()
        start = time.perf_counter()
        upgrade(db_url)
        work.migration = time.perf_counter() - start
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    work.counts = {
        "cases": len(rows.enquiries),
        "history": len(rows.history),
        "deliveries": len(rows.deliveries),
        "messages": len(rows.messages),
    }
    return work


def cases_with(db_url: str, word: str) -> int:
    """How many cases a search for `word` finds among all."""
    fields = ("name", "email", "subject", "message", "company")
    where = " OR ".join(f"{f} ILIKE %(pattern)s" for f in fields)
    with psycopg.connect(_conninfo(db_url)) as connection:
        found = connection.execute(
            f"SELECT count(*) FROM enquiries WHERE {where}", {"pattern": f"%{word}%"}
        ).fetchone()
    return int(found[0]) if found else 0


def _conninfo(db_url: str) -> str:
    return make_url(db_url).set(drivername="postgresql").render_as_string(hide_password=False)
