"""The mail worker's round against a real IMAP server (dovecot) and a real database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound import store
from services.intake.inbound.worker import MailRuntime, mailbox_configs
from shared.db.engine import session_scope
from shared.db.models import DeliveryRow, EnquiryRow, InboundMailRow, MetaRow
from shared.settings import Settings
from tests.conftest import require
from tests.support import mails
from tests.support.db import migrated, sqlite_url
from tests.support.imap import DOVECOT, ImapServer, imap_server

BS, WOB = "team-bs@example.org", "team-wob@example.org"


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    require(DOVECOT is not None, "dovecot is not installed (make system-deps: dovecot-imapd)")
    with imap_server(BS, WOB) as server:
        yield server


@pytest.fixture
def database(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session]]]:
    url = sqlite_url(tmp_path)
    with migrated(url) as sessions:
        yield url, sessions


def runtime(url: str, imap: ImapServer, *users: str, **settings: object) -> MailRuntime:
    folder = f"IN-{uuid.uuid4().hex[:8]}"  # each test its own folders
    values: dict[str, object] = {
        "database_url": url,
        "secret_key": "test-secret-key-0123456789abcdef",
        "mail_from": mails.OUR_ADDRESS,
        "intake_addresses": [BS, WOB],
        "imap_urls": [imap.url(user, folder) for user in users],
        "imap_processed_folder": f"{folder}-done",
        "imap_failed_folder": f"{folder}-failed",
        "inbound_max_attempts": 2,
        **settings,
    }
    made = Settings(**values)  # type: ignore[arg-type]  # pydantic-settings fields by name
    return MailRuntime(made, mailbox_configs(made))


def folder_of(run: MailRuntime, index: int = 0) -> str:
    return run.mailboxes[index].folder


def put(imap: ImapServer, run: MailRuntime, raw: bytes, user: str = BS, index: int = 0) -> None:
    imap.append(user, raw, folder_of(run, index))


def scalar(sessions: sessionmaker[Session], query: object) -> int:
    with sessions() as session:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def test_a_mixed_mailbox_ends_with_the_right_cases_and_no_mail_to_machines(
    imap: ImapServer, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, sessions = database
    run = runtime(url, imap, BS)
    sender = f"ana.{uuid.uuid4().hex[:6]}@example.net"
    put(imap, run, mails.enquiry(sender))
    put(imap, run, mails.foreign_reply(f"bo.{uuid.uuid4().hex[:6]}@example.net"))
    assert run.poll_all() == {"created": 2}
    with sessions() as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.email == sender))
        assert case is not None and case.reference is not None
        reference = case.reference
    put(imap, run, mails.follow_up(sender, reference))
    put(imap, run, mails.auto_reply(sender, reference))
    put(imap, run, mails.bounce(sender, mails.our_message_id(reference)))
    put(imap, run, mails.enquiry(mails.OUR_ADDRESS, name="Welcome Center"))
    counts = run.poll_all()
    assert counts == {"joined": 1, "recorded": 2, "ignored": 1}
    assert scalar(sessions, select(func.count()).select_from(EnquiryRow)) == 2
    # Nothing to an enquirer: confirmations are routing's, for new cases only.
    assert scalar(sessions, select(func.count()).where(DeliveryRow.kind != "follow_up")) == 0
    folder = folder_of(run)
    assert imap.count(BS, folder) == 0
    assert imap.count(BS, f"{folder}-done") == 6
    assert run.poll_all() == {}


def test_a_poison_message_is_retried_then_set_aside_and_blocks_nothing(
    imap: ImapServer, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, sessions = database
    with session_scope(sessions) as session:
        session.execute(
            text(
                "CREATE TRIGGER poison BEFORE INSERT ON enquiries "
                "WHEN NEW.subject LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
            )
        )
    run = runtime(url, imap, BS)
    folder = folder_of(run)
    put(imap, run, mails.enquiry(f"a.{uuid.uuid4().hex[:6]}@example.net"))
    put(imap, run, mails.enquiry(f"p.{uuid.uuid4().hex[:6]}@example.net", subject="poison"))
    put(imap, run, mails.enquiry(f"c.{uuid.uuid4().hex[:6]}@example.net"))
    assert run.poll_all() == {"created": 2, "failed": 1}
    assert (imap.count(BS, folder), imap.count(BS, f"{folder}-done")) == (1, 2)
    assert run.poll_all() == {"dead": 1}
    assert (imap.count(BS, folder), imap.count(BS, f"{folder}-failed")) == (0, 1)
    with sessions() as session:
        dead = session.scalar(select(InboundMailRow).where(InboundMailRow.status == "dead"))
        assert dead is not None and dead.attempts == 2 and "poisoned" in (dead.last_error or "")


def test_the_same_mail_in_both_site_mailboxes_is_one_case(
    imap: ImapServer, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, sessions = database
    run = runtime(url, imap, BS, WOB)
    raw = mails.enquiry(f"d.{uuid.uuid4().hex[:6]}@example.net")
    put(imap, run, raw, BS, 0)
    put(imap, run, b"Delivered-To: " + WOB.encode() + b"\r\n" + raw, WOB, 1)
    assert run.poll_all() == {"created": 1, "duplicate": 1}
    assert scalar(sessions, select(func.count()).select_from(EnquiryRow)) == 1
    assert imap.count(WOB, folder_of(run, 1)) == 0


def test_flag_mode_leaves_messages_in_place_and_handles_each_once(
    imap: ImapServer, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, sessions = database
    run = runtime(url, imap, BS, imap_mode="flag")
    put(imap, run, mails.enquiry(f"e.{uuid.uuid4().hex[:6]}@example.net"))
    assert run.poll_all() == {"created": 1}
    assert run.poll_all() == {}
    assert imap.count(BS, folder_of(run)) == 1
    assert scalar(sessions, select(func.count()).select_from(InboundMailRow)) == 1


def test_a_mailbox_held_by_another_poller_is_left_alone(
    imap: ImapServer, database: tuple[str, sessionmaker[Session]]
) -> None:
    url, sessions = database
    run = runtime(url, imap, BS)
    put(imap, run, mails.enquiry(f"f.{uuid.uuid4().hex[:6]}@example.net"))
    with session_scope(sessions) as session:
        assert store.take_lease(session, source=run.mailboxes[0].source, owner="other", seconds=60)
    assert run.poll_all() == {"busy": 1}
    with session_scope(sessions) as session:
        lease = session.scalar(select(MetaRow).where(MetaRow.key.like("mailbox-lock:%")))
        assert lease is not None
        lease.value = "0 other"  # the other poller's lease ran out
    assert run.poll_all() == {"created": 1}
