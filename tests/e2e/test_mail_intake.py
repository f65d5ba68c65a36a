"""E-mail intake, the whole system: mail in two IMAP mailboxes (dovecot) and posted raw,
through the mail worker, routing and notifications, to the SMTP server. Nothing lost,
nothing twice, no mail to a machine, no loop."""

from __future__ import annotations

import signal
import socket
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from services.intake.mail.identity import identify
from shared.db.models import (
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    InboundMailRow,
    ManagerRow,
    SuppressedAddressRow,
)
from tests.conftest import require
from tests.support import mails
from tests.support.desk import token_client
from tests.support.imap import DOVECOT, ImapServer, imap_server
from tests.support.stack import (
    ALL_PROCESSES,
    Stack,
    build_stack,
    deliveries_of,
    start_process,
    wait_until_settled,
)
from tests.support.system import wait_until

BS, WOB = "intake-bs@example.org", "intake-wob@example.org"
TOKEN = "inbound-token-0123456789abcdef"


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    require(DOVECOT is not None, "dovecot is not installed (make system-deps: dovecot-imapd)")
    with imap_server(BS, WOB) as server:
        yield server


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin: str, imap: ImapServer
) -> Iterator[Stack]:
    env = {
        "WELCOMEDESK_MAIL_FROM": mails.OUR_ADDRESS,
        "WELCOMEDESK_INTAKE_ADDRESSES": f"{BS},{WOB}",
        "WELCOMEDESK_IMAP_URLS": f"{imap.url(BS)},{imap.url(WOB)}",
        "WELCOMEDESK_IMAP_INTERVAL": "1",
        "WELCOMEDESK_IMAP_LOCK_SECONDS": "5",
        "WELCOMEDESK_INBOUND_MAX_ATTEMPTS": "3",
        "WELCOMEDESK_INBOUND_TOKEN": TOKEN,
    }
    with build_stack(
        tmp_path_factory.mktemp("mail-intake"),
        postgres_admin,
        env=env,
        processes=(*ALL_PROCESSES, "mail"),
    ) as built:
        yield built


def sender(tag: str) -> str:
    return f"{tag}.{uuid.uuid4().hex[:8]}@example.net"


def handled(db: Engine, *raws: bytes, timeout: float = 60) -> list[InboundMailRow]:
    """The stored rows of these mails once each is processed or dead, in the same order."""
    keys = [identify(raw).dedup_key for raw in raws]

    def done() -> list[InboundMailRow]:
        with Session(db) as session:
            rows = {
                r.dedup_key: r
                for r in session.scalars(
                    select(InboundMailRow).where(InboundMailRow.dedup_key.in_(keys))
                )
            }
        found = [rows.get(key) for key in keys]
        ready = all(r is not None and r.status in ("processed", "dead") for r in found)
        return [r for r in found if r is not None] if ready else []

    return wait_until(done, timeout=timeout, what=f"{len(raws)} mail(s) handled")


def case_of(db: Engine, address: str) -> list[EnquiryRow]:
    with Session(db) as session:
        query = select(EnquiryRow).where(EnquiryRow.email == address).order_by(EnquiryRow.id)
        return list(session.scalars(query))


def sent(stack: Stack, reference: str, kind: str) -> list[DeliveryRow]:
    def found() -> list[DeliveryRow]:
        rows = [d for d in deliveries_of(stack.db, reference) if d.kind == kind]
        return rows if rows and all(d.status != "pending" for d in rows) else []

    return wait_until(found, timeout=60, what=f"{kind} mail of {reference}")


def mail_to(stack: Stack, address: str, reference: str) -> list[str]:
    """Message-IDs of the mails of this case that went to this address."""
    return [
        str(r.message["Message-ID"])
        for r in stack.smtp.with_reference(reference)
        if address in r.rcpt_tos
    ]


def test_new_mail_follow_ups_auto_replies_and_bounces_end_as_they_should(
    stack: Stack, imap: ImapServer
) -> None:
    ana, bo = sender("ana"), sender("bo")
    first, second = mails.enquiry(ana), mails.enquiry(bo, name="Bo Chen")
    imap.append(BS, first)
    imap.append(WOB, second)
    handled(stack.db, first, second)
    (case_a,), (case_b,) = case_of(stack.db, ana), case_of(stack.db, bo)
    assert case_a.reference and case_b.reference
    assert [d.status for d in sent(stack, case_a.reference, "confirmation")] == ["sent"]
    assert [d.status for d in sent(stack, case_a.reference, "manager")] == ["sent"]
    sent(stack, case_b.reference, "confirmation")
    (confirmation_a,) = mail_to(stack, ana, case_a.reference)
    (confirmation_b,) = mail_to(stack, bo, case_b.reference)
    confirmation = next(r for r in stack.smtp.with_reference(case_a.reference) if ana in r.rcpt_tos)
    assert confirmation.message["In-Reply-To"] == identify(first).message_id

    reply = mails.follow_up(ana, case_a.reference, in_reply_to=confirmation_a)
    out_of_office = mails.auto_reply(ana, case_a.reference)
    bounce = mails.bounce(bo, confirmation_b)
    for raw in (reply, out_of_office, bounce):
        imap.append(BS, raw)
    rows = handled(stack.db, reply, out_of_office, bounce)
    assert [(r.kind, r.outcome) for r in rows] == [
        ("follow_up", "joined"),
        ("auto_reply", "recorded"),
        ("bounce", "recorded"),
    ]
    (notice,) = sent(stack, case_a.reference, "follow_up")
    with Session(stack.db) as session:
        manager = session.get(ManagerRow, case_of(stack.db, ana)[0].manager_id)
    assert manager is not None and (notice.status, notice.recipient) == ("sent", manager.email)
    wait_until_settled(stack.db, stack.redis.url)

    # One case each, the follow-up joined without a second routing or confirmation.
    assert len(case_of(stack.db, ana)) == 1
    assert sorted(d.kind for d in deliveries_of(stack.db, case_a.reference)) == [
        "confirmation",
        "follow_up",
        "manager",
    ]
    assert len(mail_to(stack, ana, case_a.reference)) == 1
    with Session(stack.db) as session:
        thread = session.scalars(
            select(CaseMessageRow.kind).where(CaseMessageRow.enquiry_id == case_a.id)
        )
        assert sorted(thread) == ["auto_reply", "follow_up", "new"]
        assert session.get(SuppressedAddressRow, bo) is not None
    assert [
        d.status for d in deliveries_of(stack.db, case_b.reference) if d.kind == "confirmation"
    ] == ["bounced"]

    # The hard bounce stops the next confirmation to that address; the case still opens.
    again = mails.enquiry(bo, subject="Second question about my diploma")
    imap.append(WOB, again)
    handled(stack.db, again)
    later = case_of(stack.db, bo)[-1]
    assert later.reference and later.id != case_b.id
    (suppressed,) = sent(stack, later.reference, "confirmation")
    assert suppressed.status == "suppressed"
    assert [d.status for d in sent(stack, later.reference, "manager")] == ["sent"]
    wait_until(lambda: imap.count(BS) == 0 and imap.count(WOB) == 0, what="inboxes empty")
    for process in ("mail", "intake", "routing", "notifications"):
        log = stack.system.log(process)
        assert ana not in log and bo not in log and "Ana Gómez" not in log, process
    assert f'"correlation_id": "{case_a.correlation_id}"' in stack.system.log("mail")


def test_raw_mime_and_both_mailboxes_make_one_enquiry_of_one_mail(
    stack: Stack, imap: ImapServer
) -> None:
    cy = sender("cy")
    raw = mails.enquiry(cy)
    answer = httpx.post(
        f"{stack.system.base_url}/api/v1/inbound/mime",
        content=raw,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["outcome"] == "created"
    imap.append(BS, b"Delivered-To: " + BS.encode() + b"\r\n" + raw)
    imap.append(WOB, b"Delivered-To: " + WOB.encode() + b"\r\n" + raw)
    wait_until(lambda: imap.count(BS) == 0 and imap.count(WOB) == 0, what="inboxes empty")
    (row,) = handled(stack.db, raw)
    assert row.duplicates == 2
    assert len(case_of(stack.db, cy)) == 1


def test_a_poison_message_is_retried_reported_set_aside_and_reprocessed(
    stack: Stack, imap: ImapServer
) -> None:
    with stack.db.begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN "
                "IF NEW.subject LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        connection.execute(
            text(
                "CREATE TRIGGER poison BEFORE INSERT ON enquiries "
                "FOR EACH ROW EXECUTE FUNCTION poison()"
            )
        )
    before, pill, after = (
        mails.enquiry(sender("dan")),
        mails.enquiry(sender("eve"), subject="poison"),
        mails.enquiry(sender("fay")),
    )
    for raw in (before, pill, after):
        imap.append(BS, raw)
    first, dead, last = handled(stack.db, before, pill, after)
    assert (first.outcome, last.outcome) == ("created", "created")
    assert (dead.status, dead.attempts) == ("dead", 3)
    wait_until(lambda: imap.count(BS) == 0, what="inbox empty")
    assert imap.count(BS, "Failed") == 1
    assert '"inbound_mail_dead"' in stack.system.log("mail")
    listed = stack.system.cli("mail", "inbound", "--failed")
    assert (
        listed.returncode == 0 and f"{dead.id}\t" in listed.stdout and "poisoned" in listed.stdout
    )

    with stack.db.begin() as connection:
        connection.execute(text("DROP TRIGGER poison ON enquiries"))
    again = stack.system.cli("mail", "reprocess", str(dead.id))
    assert again.returncode == 0, again.stderr
    assert f"{dead.id}\tcreated\tprocessed" in again.stdout
    (case,) = case_of(stack.db, _sender_of(pill))
    assert case.reference
    assert [d.status for d in sent(stack, case.reference, "confirmation")] == ["sent"]


def _sender_of(raw: bytes) -> str:
    line = next(x for x in raw.split(b"\r\n") if x.startswith(b"From:"))
    return line.split(b"<")[1].rstrip(b">").decode()


def test_restarting_the_poller_mid_way_loses_nothing_and_duplicates_nothing(
    stack: Stack, imap: ImapServer
) -> None:
    stack.system.stop("mail")
    batch = [mails.enquiry(sender(f"r{n}")) for n in range(12)]
    for raw in batch:
        imap.append(BS, raw)
    start_process(stack.system, "mail")
    keys = [identify(raw).dedup_key for raw in batch]

    def some_stored() -> bool:
        with Session(stack.db) as session:
            stored = session.scalars(
                select(InboundMailRow.id).where(InboundMailRow.dedup_key.in_(keys))
            )
            return 2 <= len(list(stored)) < len(batch)

    wait_until(some_stored, timeout=60, what="part of the batch stored")
    stack.system.stop("mail", signal.SIGKILL)
    start_process(stack.system, "mail")
    rows = handled(stack.db, *batch, timeout=90)
    assert [r.outcome for r in rows] == ["created"] * len(batch)
    wait_until(lambda: imap.count(BS) == 0, what="inbox empty")
    for raw in batch:
        assert len(case_of(stack.db, _sender_of(raw))) == 1
    processed = [m for m in imap.messages(BS, "Processed") if any(k in m for k in _ids(batch))]
    assert len(processed) == len(batch)


def _ids(batch: list[bytes]) -> list[bytes]:
    return [str(identify(raw).message_id).encode() for raw in batch]


def test_the_answer_to_a_reply_comes_back_by_imap_into_the_case(
    stack: Stack, imap: ImapServer
) -> None:
    """A manager answers from the desk; the enquirer's answer to that reply, its subject
    without the reference, arrives in the mailbox and joins the case."""
    dana = sender("dana")
    first = mails.enquiry(dana)
    imap.append(BS, first)
    handled(stack.db, first)
    (case,) = case_of(stack.db, dana)
    assert case.reference is not None
    reference = case.reference
    sent(stack, reference, "manager")
    made = stack.system.cli("token", "create", str(case_of(stack.db, dana)[0].manager_id))
    assert made.returncode == 0, made.stderr
    with token_client(stack.system.base_url, made.stdout.strip()) as client:
        version = client.get(f"/cases/{reference}").json()["version"]
        replied = client.post(
            f"/cases/{reference}/replies", json={"text": "Gerne, rufen Sie an.", "version": version}
        )
        assert replied.status_code == 202, replied.text
        (delivery,) = sent(stack, reference, "reply")
        assert delivery.status == "sent"
        (reply_id,) = [m for m in mail_to(stack, dana, reference) if ".reply." in m]
        answer = mails.follow_up(
            dana, reference, text="Danke, ich rufe morgen an.", in_reply_to=reply_id
        )
        answer = answer.replace(f"[{reference}] ".encode(), b"")
        imap.append(BS, answer)
        (row,) = handled(stack.db, answer)
        assert (row.kind, row.outcome, row.reference) == ("follow_up", "joined", reference)
        read = client.get(f"/cases/{reference}").json()
    assert read["status"] == "accepted"
    assert read["thread"][-1]["text"].startswith("Danke, ich rufe morgen an.")


@pytest.mark.parametrize("authorization", ["", "Authorization: Bearer wrong-token-0123456789\r\n"])
def test_a_post_without_the_token_is_refused_before_its_body_is_read(
    stack: Stack, authorization: str
) -> None:
    """A large body announced without the right token: the 401 comes on the headers alone,
    while the body has not been sent; nothing of it is read or kept."""
    declared = 31 * 1024 * 1024
    head = (
        f"POST /api/v1/inbound/mime HTTP/1.1\r\nHost: 127.0.0.1\r\n{authorization}"
        f"Content-Type: message/rfc822\r\nContent-Length: {declared}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", stack.system.port), timeout=10) as conn:
        conn.sendall(head.encode() + b"x" * 65536)
        status_line = conn.makefile("rb").readline()  # times out if the body is awaited
    assert status_line.split()[1] == b"401", status_line
