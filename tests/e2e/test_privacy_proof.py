"""The privacy proof on the whole system (PostgreSQL, Redis, SMTP, every process): a person
leaves unique markers everywhere through the form, mail, a manager's referral, note and
reply; a look-alike leaves their own. An administrator answers the person's request from
the desk: the export holds all of theirs and none of the other's; after the erasure no
column of any table holds theirs, as written, in base64 or quoted-printable, while the
look-alike's stay and every fact the statistics use is unchanged; a mail of theirs then
opens a new case; retention a year ahead takes exactly the closed cases."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.models import AuditRow, EnquiryRow, utcnow
from shared.events import PRIVACY_RETENTION, QUEUES
from shared.messaging.broker import make_celery
from shared.settings import Settings
from tests.support import mails
from tests.support.desk import DeskClient, add_staff, token_client
from tests.support.person import WHERES as PERSON_WHERES
from tests.support.person import mail
from tests.support.stack import Stack, build_stack, enquiry_by_reference, wait_until_settled
from tests.support.system import wait_until
from tests.support.traces import Markers, dump, facts, new_markers, traces

INBOUND = "inbound-token-0123456789abcdef"
ADMIN = "dpo.admin@example.org"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'name="(consent_version|consent_language)" value="([^"]*)"')
REFERENCE = re.compile(r"WC-\d{4}-\d{6}")
# Where the proof puts each person's markers: what the form, mail and desk can carry.
WHERES = [w for w in PERSON_WHERES if w not in ("mailsubject", "list", "reason")]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    env = {"WELCOMEDESK_MAIL_FROM": mails.OUR_ADDRESS, "WELCOMEDESK_INBOUND_TOKEN": INBOUND}
    with build_stack(tmp_path_factory.mktemp("privacy"), postgres_admin, env=env) as built:
        add_staff(built.system, ADMIN, role="admin")
        yield built


@dataclass
class Person:
    markers: Markers
    email: str
    references: list[str] = field(default_factory=list)


def _post_mail(stack: Stack, raw: bytes) -> dict[str, Any]:
    answer = httpx.post(
        f"{stack.system.base_url}/api/v1/inbound/mime",
        content=raw,
        headers={"Authorization": f"Bearer {INBOUND}", "Content-Type": "message/rfc822"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _form(stack: Stack, person: Person, phone: str) -> str:
    """The web form as a browser sends it, both boxes ticked."""
    m = person.markers
    with httpx.Client(base_url=stack.system.base_url, timeout=15) as browser:
        page = browser.get("/?lang=de")
        token = TOKEN.search(page.text)
        assert token is not None
        sent = browser.post(
            "/",
            data={
                "csrf_token": token.group(1),
                "lang": "de",
                "requester_type": "worker",
                "name": f"Ana Gómez {m.text('name')}",
                "email": person.email,
                "phone": phone,
                "postal_code": "38100",
                "city": f"Braunschweig {m.text('city')}",
                "subject": f"Anerkennung {m.text('subject')}",
                "message": f"Ich bin Pflegekraft aus Kolumbien. {m.text('message')}",
                "consent_processing": "yes",
                "consent_referral": "yes",
                **dict(HIDDEN.findall(page.text)),
            },
        )
        assert sent.status_code == 303, sent.text
        found = REFERENCE.search(browser.get(sent.headers["location"]).text)
        assert found is not None
        return found.group(0)


def _routed(stack: Stack, reference: str) -> EnquiryRow:
    def decided() -> EnquiryRow | None:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and row.manager_id else None

    found: EnquiryRow = wait_until(decided, timeout=60, what=f"{reference} with a manager")
    return found


def _manager(stack: Stack, manager_id: str) -> httpx.Client:
    made = stack.system.cli("token", "create", manager_id)
    assert made.returncode == 0, made.stderr
    return token_client(stack.system.base_url, made.stdout.strip())


def _leave_traces(stack: Stack, person: Person, phone: str, *, close: bool) -> None:
    m = person.markers
    first = _form(stack, person, phone)
    person.references.append(first)
    mailed = _post_mail(
        stack,
        mail(
            person.email,
            "Mein Zeugnis",
            f"Guten Tag, anbei mein Zeugnis. {m.text('mail')}",
            name="Ana Gómez",
            file=(f"zeugnis-{m.ascii}.pdf", f"%PDF-1.4 {m.text('file')}".encode()),
        ),
    )
    assert mailed["outcome"] == "created"
    person.references.append(str(mailed["reference"]))
    joined = _post_mail(
        stack,
        mail(person.email, f"Re: [{first}] Anfrage", f"Noch eine Frage: {m.text('followup')}"),
    )
    assert joined["outcome"] == "joined" and joined["reference"] == first
    case = _routed(stack, first)
    assert case.manager_id is not None
    with _manager(stack, case.manager_id) as manager:
        version = manager.get(f"/cases/{first}").json()["version"]
        referred = manager.post(f"/cases/{first}/referrals", json={"partner_id": "p-01"})
        assert referred.status_code == 201, referred.text
        note = manager.post(f"/cases/{first}/notes", json={"text": f"Rückruf {m.text('note')}"})
        assert note.status_code == 201, note.text
        upload = base64.b64encode(m.text("upload").encode()).decode()
        replied = manager.post(
            f"/cases/{first}/replies",
            json={
                "text": f"Guten Tag, {m.text('reply')}",
                "version": version,
                "attachments": [
                    {
                        "filename": f"liste-{m.ascii}.pdf",
                        "content_type": "application/pdf",
                        "content_base64": upload,
                    }
                ],
            },
        )
        assert replied.status_code == 202, replied.text
        if close:
            closed = manager.post(
                f"/cases/{first}/close",
                json={"outcome": "referred", "version": replied.json()["version"]},
            )
            assert closed.status_code == 200, closed.text


def _pg_dump(stack: Stack) -> str:
    """pg_dump's own view of the data, its bytea decoded, for a second look."""
    binary = shutil.which("pg_dump")
    assert binary is not None, "pg_dump is part of the PostgreSQL client the tests use"
    url = stack.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [binary, "--data-only", "--no-owner", url], capture_output=True, text=True, check=True
    )
    decoded = [
        bytes.fromhex(run).decode("utf-8", "replace")
        for run in re.findall(r"\\\\x((?:[0-9a-f]{2})+)", done.stdout)
    ]
    return done.stdout + "\n".join(decoded)


@dataclass
class Proof:
    a: Person
    b: Person
    zipped: dict[str, bytes]
    cli_export: dict[str, Any]
    before: str
    after: str
    after_pg_dump: str
    facts_before: str
    facts_after_erasure: str
    statistics_before: tuple[bytes, ...]
    statistics_after_erasure: tuple[bytes, ...]


STATISTICS = ("/statistics", "/statistics?format=csv", "/statistics/cases.csv")


def statistics(desk: DeskClient) -> tuple[bytes, ...]:
    """What the centre reports, for this year and the next: JSON, CSV and the cases' CSV."""
    year = dt.date.today().year
    answers = []
    for path in STATISTICS:
        joiner = "&" if "?" in path else "?"
        answer = desk.api("GET", f"{path}{joiner}from={year}-01-01&to={year + 1}-12-31")
        assert answer.status_code == 200, answer.text
        answers.append(answer.content)
    return tuple(answers)


@pytest.fixture(scope="module")
def proof(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Proof:
    tag = new_markers()
    a = Person(tag, f"ana.{tag.ascii}@example.net")
    other = new_markers()
    b = Person(other, f"ana.{other.ascii}@example.net")
    _leave_traces(stack, a, "0531 2223344", close=False)
    _leave_traces(stack, b, "0531 2223345", close=True)
    wait_until_settled(stack.db, stack.redis.url, timeout=60)
    desk = DeskClient(stack.system.base_url)
    try:
        assert desk.sign_in(ADMIN).status_code == 303
        found = desk.post_form("/staff/privacy/find", {"email": a.email.upper()})
        assert found.status_code == 200 and all(r in found.text for r in a.references)
        exported = desk.post_form("/staff/privacy/export", {"email": a.email})
        assert exported.status_code == 200, exported.text
        archive = zipfile.ZipFile(io.BytesIO(exported.content))
        zipped = {name: archive.read(name) for name in archive.namelist()}
        out = tmp_path_factory.mktemp("export") / "a"
        done = stack.system.cli("privacy", "export", a.email, "--out", str(out))
        assert done.returncode == 0, done.stderr
        cli_export = json.loads((out / "export.json").read_text())
        before, facts_before = dump(stack.db), facts(stack.db)
        statistics_before = statistics(desk)
        erased = desk.post_form(
            "/staff/privacy/erase", {"email": a.email, "reason": "request", "confirm": "yes"}
        )
        assert erased.status_code == 200 and 'role="status"' in erased.text
        statistics_after = statistics(desk)
    finally:
        desk.close()
    return Proof(
        a,
        b,
        zipped,
        cli_export,
        before,
        dump(stack.db),
        _pg_dump(stack),
        facts_before,
        facts(stack.db),
        statistics_before,
        statistics_after,
    )


def _all_text(files: dict[str, bytes]) -> str:
    return "\n".join(
        c.decode("latin-1") + "\n" + c.decode("utf-8", "replace") for c in files.values()
    )


def test_the_export_holds_every_marker_of_the_person_and_none_of_the_look_alike(
    proof: Proof,
) -> None:
    exported = _all_text(proof.zipped)
    assert [w for w in ["ascii", *WHERES] if not _found(exported, proof.a.markers, w)] == []
    assert [w for w in ["ascii", *WHERES] if _found(exported, proof.b.markers, w)] == []
    assert {"export.json", "export.html"} <= set(proof.zipped)
    assert sum(name.startswith("mails/") for name in proof.zipped) == 2
    assert sum(name.startswith("attachments/") for name in proof.zipped) == 2
    data = json.loads(proof.zipped["export.json"])
    case = next(c for c in data["cases"] if c["reference"] == proof.a.references[0])
    assert (
        case["consent"]["referral"]["version"] and case["consent"]["referral"]["language"] == "de"
    )
    assert [r["partner"]["id"] for r in case["referrals"]] == ["p-01"]
    sent = {(d["kind"], d["to"]) for d in case["mails_sent"]}
    assert ("confirmation", proof.a.email) in sent and ("reply", proof.a.email) in sent
    assert {a["action"] for a in case["access"]} >= {"case_read", "case_changed"}
    assert [c["reference"] for c in proof.cli_export["cases"]] == proof.a.references


def _found(text: str, markers: Markers, where: str) -> list[str]:
    return traces(text, markers.ascii if where == "ascii" else markers.text(where))


def test_after_erasure_no_table_holds_the_person_in_any_encoding(proof: Proof) -> None:
    assert all(_found(proof.before, proof.a.markers, w) for w in ["ascii", *WHERES])
    for dumped in (proof.after, proof.after_pg_dump):
        assert [w for w in ["ascii", *WHERES] if _found(dumped, proof.a.markers, w)] == []


def test_the_look_alike_is_untouched_and_the_statistics_facts_stay(proof: Proof) -> None:
    assert [w for w in ["ascii", *WHERES] if not _found(proof.after, proof.b.markers, w)] == []
    # pg_dump's bytea is read too: the look-alike's file is only in binary columns.
    assert _found(proof.after_pg_dump, proof.b.markers, "file")
    assert proof.facts_after_erasure == proof.facts_before
    # What the centre reports stays byte for byte, JSON and CSV alike.
    assert proof.statistics_after_erasure == proof.statistics_before
    assert b"contacts" in proof.statistics_before[0]


def test_their_next_mail_is_a_new_contact(stack: Stack, proof: Proof) -> None:
    first = proof.a.references[0]
    with Session(stack.db) as session:
        ours = session.scalar(select(EnquiryRow.reference).where(EnquiryRow.reference == first))
    assert ours == first  # the case is still there, for the statistics
    answer = mails.follow_up(
        proof.a.email, first, text="Ich bin es wieder.", in_reply_to=mails.our_message_id(first)
    )
    again = _post_mail(stack, answer)
    assert again["outcome"] == "created" and again["reference"] not in proof.a.references


def test_retention_a_year_ahead_takes_exactly_the_closed_cases(stack: Stack, proof: Proof) -> None:
    ahead = (utcnow() + dt.timedelta(days=366)).isoformat()
    dry = stack.system.cli("privacy", "retention", "--at", ahead, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[:-1] == [proof.b.references[0]]
    desk = DeskClient(stack.system.base_url)
    try:
        assert desk.sign_in(ADMIN).status_code == 303
        reported = statistics(desk)
        before = facts(stack.db)  # after signing in: a session is a row too
        done = stack.system.cli("privacy", "retention", "--at", ahead)
        assert json.loads(done.stdout)["cases"] == 1
        after = facts(stack.db)
        assert statistics(desk) == reported
    finally:
        desk.close()
    assert after == before
    row = enquiry_by_reference(stack.db, proof.b.references[0])
    assert row is not None and row.anonymised_why == "retention" and row.email is None
    log = stack.system.cli("audit", "--since", dt.date.today().isoformat())
    assert "\tretention\t" in log.stdout and "\terasure\t" in log.stdout
    assert proof.a.markers.ascii not in log.stdout and proof.b.markers.ascii not in log.stdout


def test_the_daily_sweep_runs_in_the_routing_worker(stack: Stack) -> None:
    """Beat's task, sent as beat sends it: the worker sweeps and the log says so."""
    settings = Settings(secret_key="x" * 32, broker_url=stack.redis.url)
    app = make_celery(settings, "beat")
    app.send_task(PRIVACY_RETENTION, queue=QUEUES[PRIVACY_RETENTION])

    def swept() -> bool:
        with Session(stack.db) as session:
            found = session.scalar(
                select(AuditRow.id).where(
                    AuditRow.action == "retention", AuditRow.actor == "system"
                )
            )
        return found is not None

    wait_until(swept, timeout=60, what="the retention sweep by the worker")
