"""Received mails on a real (SQLite) database: what each kind does, once, and its failures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound.service import Ingested, ingest_mail, reprocess_mail, retry_mail
from services.intake.mail.model import AttachmentLimits
from services.intake.mail.reading import MailContext
from shared.db.engine import session_scope
from shared.db.models import (
    AttachmentRow,
    CaseMessageRow,
    DeliveryRow,
    EnquiryRow,
    InboundMailRow,
    OutboxRow,
    SuppressedAddressRow,
)
from shared.mail_requests import request_mail
from shared.settings import MailSettings
from tests.support import mails
from tests.support.db import migrated, sqlite_url

CONTEXT = MailContext.from_settings(
    MailSettings(mail_from=mails.OUR_ADDRESS, intake_addresses=[mails.INTAKE])
)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with migrated(sqlite_url(tmp_path)) as factory:
        yield factory


def ingest(
    sessions: sessionmaker[Session],
    raw: bytes,
    source: str = "mime",
    attempts: int = 3,
    context: MailContext = CONTEXT,
) -> Ingested:
    with session_scope(sessions) as session:
        return ingest_mail(
            session,
            raw=raw,
            source=source,
            context=context,
            correlation_id=uuid.uuid4().hex,
            max_attempts=attempts,
        )


def address() -> str:
    return f"ana.{uuid.uuid4().hex[:8]}@example.net"


def count(sessions: sessionmaker[Session], table: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_new_mail_opens_a_case_with_its_event_thread_and_attachment(
    sessions: sessionmaker[Session],
) -> None:
    sender = address()
    raw = mails.enquiry(sender, attachment=b"%PDF-1.4 diploma")
    done = ingest(sessions, raw)
    assert (done.outcome, done.status, done.kind) == ("created", "processed", "new")
    assert done.reference and done.reference.startswith("WC-") and len(done.outbox_ids) == 1
    with sessions() as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == done.reference))
        assert case is not None
        assert (case.email, case.name, case.channel) == (sender, "Ana Gómez", "email")
        assert case.consent_processing and not case.consent_referral
        assert "nursing diploma" in case.message
        inbound = session.get(InboundMailRow, done.inbound_id)
        assert inbound is not None and inbound.raw == raw and inbound.enquiry_id == case.id
        event = session.get(OutboxRow, done.outbox_ids[0])
        assert event is not None and event.task == "routing.route_enquiry"
        thread = session.scalars(select(CaseMessageRow).where(CaseMessageRow.enquiry_id == case.id))
        assert [m.kind for m in thread] == ["new"]
        files = list(session.scalars(select(AttachmentRow)))
        assert [(f.filename, f.data) for f in files] == [("diploma.pdf", b"%PDF-1.4 diploma")]


def test_an_attachment_over_the_limit_is_dropped_and_recorded_on_the_case(
    sessions: sessionmaker[Session],
) -> None:
    small = MailContext(CONTEXT.ours, AttachmentLimits(max_bytes=10))
    done = ingest(sessions, mails.enquiry(address(), attachment=b"x" * 11), context=small)
    assert done.outcome == "created"
    with sessions() as session:
        (kept,) = session.scalars(select(AttachmentRow))
        assert (kept.filename, kept.size, kept.data) == ("diploma.pdf", 11, None)
        assert kept.dropped == "larger than 10 bytes"
        row = session.get(InboundMailRow, done.inbound_id)
        assert row is not None and any("dropped" in note for note in row.notes["notes"])


def test_the_same_mail_twice_or_from_two_mailboxes_is_one_case(
    sessions: sessionmaker[Session],
) -> None:
    raw = mails.enquiry(address())
    first = ingest(sessions, raw, "imap:team-bs")
    again = ingest(sessions, raw.replace(b"\r\n", b"\n"), "imap:team-wob")
    assert (first.outcome, again.outcome, again.inbound_id) == (
        "created",
        "duplicate",
        first.inbound_id,
    )
    assert count(sessions, EnquiryRow) == 1
    with sessions() as session:
        row = session.get(InboundMailRow, first.inbound_id)
        assert row is not None and row.duplicates == 1
        assert row.notes["seen_again"] == ["imap:team-wob"]


def test_without_message_id_the_content_decides_not_the_trace_headers(
    sessions: sessionmaker[Session],
) -> None:
    body = mails.enquiry(address()).split(b"\r\n")
    raw = b"\r\n".join(line for line in body if not line.startswith(b"Message-ID"))
    first = ingest(sessions, b"Received: from a by mx1; Mon, 1 Dec 2026\r\n" + raw)
    again = ingest(sessions, b"Delivered-To: team-wob@example.org\r\n" + raw)
    other = ingest(sessions, raw.replace(b"Braunschweig", b"Wolfsburg"))
    assert [first.outcome, again.outcome, other.outcome] == ["created", "duplicate", "created"]


def open_case(sessions: sessionmaker[Session], sender: str, **decided: str) -> str:
    """A case opened by the sender's mail, then decided as `decided` says (as routing would);
    returns its reference."""
    opened = ingest(sessions, mails.enquiry(sender))
    assert opened.reference is not None
    with session_scope(sessions) as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == opened.reference))
        assert case is not None
        for column, value in decided.items():
            setattr(case, column, value)
    return opened.reference


def test_a_follow_up_joins_its_case_tells_the_manager_and_is_not_routed_again(
    sessions: sessionmaker[Session],
) -> None:
    sender = address()
    reference = open_case(sessions, sender, manager_id="m-01", status="assigned")
    joined = ingest(sessions, mails.follow_up(sender, reference))
    assert (joined.outcome, joined.reference, joined.kind) == ("joined", reference, "follow_up")
    assert count(sessions, EnquiryRow) == 1
    with sessions() as session:
        events = [session.get(OutboxRow, i) for i in joined.outbox_ids]
        assert [e.task for e in events if e] == ["notifications.send_mail"]
        notice = session.scalar(select(DeliveryRow).where(DeliveryRow.kind == "follow_up"))
        assert notice is not None and notice.recipient == "lucia.fernandez@example.org"
        message = session.scalar(
            select(CaseMessageRow).where(CaseMessageRow.notice_delivery_id == notice.id)
        )
        assert message is not None and "German course" in message.text


def test_a_follow_up_of_an_unassigned_case_tells_the_site_team(
    sessions: sessionmaker[Session],
) -> None:
    sender = address()
    reference = open_case(sessions, sender, site="wolfsburg", status="triage")
    ingest(sessions, mails.follow_up(sender, reference))
    with sessions() as session:
        notice = session.scalar(select(DeliveryRow).where(DeliveryRow.kind == "follow_up"))
        assert notice is not None and notice.recipient == "team-wob@example.org"


def test_a_reply_quoting_a_foreign_mail_is_a_new_enquiry(sessions: sessionmaker[Session]) -> None:
    done = ingest(sessions, mails.foreign_reply(address()))
    assert (done.kind, done.outcome) == ("new", "created")


def test_machines_open_no_case_and_ask_for_no_mail(sessions: sessionmaker[Session]) -> None:
    sender = address()
    opened = ingest(sessions, mails.enquiry(sender))
    assert opened.reference is not None
    auto = ingest(sessions, mails.auto_reply(sender, opened.reference))
    own = ingest(sessions, mails.enquiry(mails.OUR_ADDRESS, name="Welcome Center"))
    stray = ingest(sessions, mails.bounce(address(), "<elsewhere-1@example.com>"))
    assert (auto.kind, auto.outcome) == ("auto_reply", "recorded")
    assert (own.kind, own.outcome) == ("auto_reply", "ignored")
    assert (stray.kind, stray.outcome) == ("bounce", "ignored")
    assert count(sessions, EnquiryRow) == 1
    assert count(sessions, DeliveryRow) == 0


def test_a_hard_bounce_is_recorded_on_its_case_and_suppresses_the_address(
    sessions: sessionmaker[Session],
) -> None:
    sender = address()
    opened = ingest(sessions, mails.enquiry(sender))
    assert opened.reference is not None
    with session_scope(sessions) as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == opened.reference))
        assert case is not None
        delivery_id, _ = request_mail(session, enquiry=case, kind="confirmation", recipient=sender)
        delivery = session.get(DeliveryRow, delivery_id)
        assert delivery is not None
        delivery.status, delivery.message_id = "sent", "c0ffee"
    original = mails.our_message_id(opened.reference, "confirmation", "c0ffee")
    soft = ingest(sessions, mails.bounce(sender, original, status="4.2.2"))
    assert soft.outcome == "recorded" and count(sessions, SuppressedAddressRow) == 0
    hard = ingest(sessions, mails.bounce(sender, original))
    assert (hard.kind, hard.outcome, hard.reference) == ("bounce", "recorded", opened.reference)
    with sessions() as session:
        suppressed = session.get(SuppressedAddressRow, sender)
        assert suppressed is not None and opened.reference in suppressed.reason
        delivery = session.get(DeliveryRow, delivery_id)
        assert delivery is not None and delivery.status == "bounced"
        kinds = [
            m.kind for m in session.scalars(select(CaseMessageRow).order_by(CaseMessageRow.id))
        ]
        assert kinds == ["new", "bounce", "bounce"]


def _poison(sessions: sessionmaker[Session]) -> None:
    """A real database refusal for one subject: what a mail no code foresaw looks like."""
    with session_scope(sessions) as session:
        session.execute(
            text(
                "CREATE TRIGGER poison BEFORE INSERT ON enquiries "
                "WHEN NEW.subject LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
            )
        )


def test_a_failing_mail_keeps_its_bytes_is_retried_then_dead_then_reprocessed(
    sessions: sessionmaker[Session],
) -> None:
    _poison(sessions)
    raw = mails.enquiry(address(), subject="poison pill")
    first = ingest(sessions, raw, attempts=2)
    assert (first.outcome, first.status, first.attempts) == ("failed", "failed", 1)
    fine = ingest(sessions, mails.enquiry(address()))
    assert fine.outcome == "created"
    with session_scope(sessions) as session:
        again = retry_mail(session, inbound_id=first.inbound_id, context=CONTEXT, max_attempts=2)
    assert again is not None and (again.status, again.attempts) == ("dead", 2)
    seen = ingest(sessions, raw, attempts=2)
    assert (seen.outcome, seen.status) == ("duplicate", "dead")
    with sessions() as session:
        row = session.get(InboundMailRow, first.inbound_id)
        assert row is not None and row.raw == raw and "poisoned" in (row.last_error or "")
    assert count(sessions, CaseMessageRow) == 1  # the savepoint took the half-done case back
    with session_scope(sessions) as session:
        session.execute(text("DROP TRIGGER poison"))
    with session_scope(sessions) as session:
        done = reprocess_mail(session, inbound_id=first.inbound_id, context=CONTEXT, max_attempts=2)
    assert (done.outcome, done.status) == ("created", "processed")
    assert count(sessions, EnquiryRow) == 2
