"""One person's data on PostgreSQL, through the product's own use cases: the export holds
all of it and nothing of a look-alike; the erasure leaves no trace of it in any column of
any table, in any encoding, and every fact the statistics use as it was."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.desk.privacy.document import Keeping
from services.desk.privacy.erasure import Erasure, erase_person
from services.desk.privacy.export import Export, build_export
from services.desk.privacy.find import Person, find_person
from services.desk.privacy.package import export_files
from shared.db.engine import session_scope
from shared.db.models import AuditRow, EnquiryRow, InboundMailRow
from shared.privacy import audit
from tests.support.db import engine_of, migrated
from tests.support.person import WHERES, Traces, leave_traces, mail, web_enquiry
from tests.support.person import _ingest as ingest
from tests.support.servers import database, postgres_server
from tests.support.traces import Markers, dump, facts, new_markers, traces

KEEPING = Keeping(case_days=365, raw_days=90)


@dataclass
class World:
    sessions: sessionmaker[Session]
    a: Markers
    b: Markers
    a_traces: Traces
    b_traces: Traces
    near_misses: list[str]  # cases of similar addresses and a shared phone: not A's
    near_emails: list[str]  # their addresses, which hold A's marker but are not A's
    phone_only: str  # A's phone, no address: A's when the phone is given
    export: Export
    files: dict[str, bytes]
    dry_run: Erasure
    before_dump: str
    before_facts: str
    erasure: Erasure
    after_dump: str
    after_facts: str


def _export(sessions: sessionmaker[Session], person: Person) -> Export:
    with session_scope(sessions) as session:
        found = find_person(session, person)
        return build_export(session, person=person, found=found, actor=audit.CLI)


def _erase(sessions: sessionmaker[Session], person: Person, *, dry_run: bool) -> Erasure:
    with session_scope(sessions) as session:
        return erase_person(
            session, person=person, reason="request", actor=audit.CLI, dry_run=dry_run
        )


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with postgres_server() as admin, database(admin) as url, migrated(url) as sessions:
        a, b = new_markers(), new_markers()
        a_traces = leave_traces(sessions, a)
        b_traces = leave_traces(sessions, b)  # the same name, city and phone
        near_emails = [f"ana.{a.ascii[:-1]}z@example.net", f"ana.{a.ascii}@example.org"]
        near_misses = [
            web_enquiry(sessions, new_markers(), near_emails[0], None),  # one letter off
            web_enquiry(sessions, new_markers(), near_emails[1].upper(), None),  # other domain
            web_enquiry(sessions, new_markers(), "someone.else@example.net", "+49 531 1234567"),
        ]
        phone_only = web_enquiry(sessions, new_markers(), None, "+49 (0)531 123 45 67")
        person = Person.parse(f"  ANA.{a.ascii}@Example.NET ", "0531/1234567")
        exported = _export(sessions, person)
        files = export_files(exported, KEEPING)
        dry_run = _erase(sessions, person, dry_run=True)
        before_dump, before_facts = dump(engine_of(sessions)), facts(engine_of(sessions))
        erasure = _erase(sessions, person, dry_run=False)
        yield World(
            sessions,
            a,
            b,
            a_traces,
            b_traces,
            near_misses,
            near_emails,
            phone_only,
            exported,
            files,
            dry_run,
            before_dump,
            before_facts,
            erasure,
            dump(engine_of(sessions)),
            facts(engine_of(sessions)),
        )


def test_the_export_holds_every_marker_of_the_person_and_none_of_anyone_else(
    world: World,
) -> None:
    everything = (
        b"\n".join(world.files.values()).decode("latin-1")
        + "\n"
        + "\n".join(content.decode("utf-8", "replace") for content in world.files.values())
    )
    missing = [m for m in world.a.all(WHERES) if not traces(everything, m)]
    assert missing == []
    leaked = [m for m in world.b.all(WHERES) if traces(everything, m)]
    assert leaked == []
    references = {c["reference"] for c in world.export.data["cases"]}
    assert references == {*world.a_traces.references, world.phone_only}
    assert not references & {*world.b_traces.references, *world.near_misses}
    assert world.export.data["not_included"]["same_phone_other_address"] == sorted(
        [world.near_misses[2], *world.b_traces.references[:1]]
    )


def test_the_export_has_the_mails_files_referrals_consent_and_audit(world: World) -> None:
    data = world.export.data
    first = next(c for c in data["cases"] if c["reference"] == world.a_traces.references[0])
    assert [r["partner"]["id"] for r in first["referrals"]] == ["p-01"]
    assert "excerpt" in first["referrals"][0]["data_sent"]
    assert first["consent"]["processing"]["language"] == "de"
    assert first["consent"]["processing"]["text"]["processing"]["label"].startswith("Ich bin")
    assert {m["kind"] for m in first["mails_sent"]} >= {"referral", "reply", "manager"}
    assert any(a["action"] == "case_changed" for a in first["access"]) is False  # in-process
    eml = [path for path in world.files if path.startswith("mails/")]
    assert len(eml) == 3  # the mail with the file, the follow-up, the list mail on no case
    assert all(world.files[p].startswith(b"From:") or b"\nFrom:" in world.files[p] for p in eml)
    assert sum(p.startswith("attachments/") for p in world.files) == 2
    parsed = json.loads(world.files["export.json"])
    assert parsed["format"] == "welcomedesk-export/1" and parsed["language"] == "de"
    assert 'lang="de"' in world.files["export.html"].decode()
    assert "Ihre Daten beim Welcome Center" in world.files["export.html"].decode()


def test_the_dry_run_says_what_would_go_and_changes_nothing(world: World) -> None:
    assert world.dry_run.dry_run and world.dry_run.references == world.erasure.references
    assert world.dry_run.counts == world.erasure.counts
    assert all(traces(world.before_dump, m) for m in world.a.all(WHERES))
    # The search finds what a mail encodes: the file in base64, the text quoted-printable.
    assert "base64" in traces(world.before_dump, world.a.text("file"))
    assert "quoted-printable" in traces(world.before_dump, world.a.text("mail"))


def test_after_erasure_no_table_holds_a_trace_of_the_person(world: World) -> None:
    counts = world.erasure.counts
    assert counts["cases"] == 3 and counts["received_mails"] == 3
    assert counts["attachments"] == 2 and counts["idempotency_keys"] == 2  # and phone-only
    assert counts["suppressed_addresses"] == 1 and counts["history_texts"] == 1
    others = world.after_dump
    for near in world.near_emails:  # other people's addresses, kept (the next test)
        assert near in others
        others = others.replace(near, "")
    for marker in world.a.all(WHERES):
        assert traces(others, marker) == [], marker


def test_the_look_alike_and_the_near_misses_keep_everything(world: World) -> None:
    for marker in world.b.all(WHERES):
        assert traces(world.after_dump, marker), marker
    with world.sessions() as session:
        kept = session.scalars(
            select(EnquiryRow).where(EnquiryRow.reference.in_(world.near_misses))
        ).all()
    assert len(kept) == 3 and all(row.anonymised_at is None and row.message for row in kept)
    assert {row.email for row in kept} >= set(world.near_emails)


def test_every_fact_the_statistics_use_is_as_it_was(world: World) -> None:
    assert world.after_facts == world.before_facts
    with world.sessions() as session:
        erased = session.scalars(
            select(EnquiryRow).where(EnquiryRow.reference.in_(world.erasure.references))
        ).all()
    assert {row.anonymised_why for row in erased} == {"erasure"}
    assert all(row.reference and row.received_at and row.channel for row in erased)
    assert all(row.topics == ["recognition"] for row in erased if row.channel == "web")


def test_the_audit_log_says_an_erasure_happened_and_nothing_of_whom(world: World) -> None:
    with world.sessions() as session:
        entries = session.scalars(
            select(AuditRow).where(AuditRow.action.in_(("erasure", "case_erased")))
        ).all()
    assert {e.details.get("reason") for e in entries} == {"request"}
    assert len([e for e in entries if e.action == "case_erased"]) == 3
    logged = json.dumps([e.details for e in entries])
    assert world.a.ascii not in logged and "@" not in logged


def test_their_mail_arriving_again_is_a_new_contact(world: World) -> None:
    first = world.a_traces.references[0]
    again = ingest(
        world.sessions,
        mail(world.a_traces.email, f"Re: [{first}] Ihre Anfrage", "Ich bin es wieder."),
    )
    assert again is not None and again not in world.a_traces.references
    with world.sessions() as session:
        old = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == first))
        assert old is not None and old.message == "" and old.email is None
        new = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == again))
        assert new is not None and new.email == world.a_traces.email
        notes = session.scalar(
            select(InboundMailRow.notes).where(InboundMailRow.enquiry_id == new.id)
        )
    assert "unknown reference" in json.dumps(notes)


def test_nothing_held_is_said_plainly(world: World) -> None:
    nobody = Person.parse(f"nobody.{uuid.uuid4().hex[:8]}@example.net")
    done = _erase(world.sessions, nobody, dry_run=False)
    assert done.nothing_held and done.references == []
    with world.sessions() as session:
        assert find_person(session, nobody).empty
