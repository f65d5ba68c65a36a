"""Mails that the e-mail intake asks for or stops: follow-up notices, threaded confirmations,
and no confirmation to an address that bounced hard. On a real (SQLite) database."""

from __future__ import annotations

import email
import email.policy
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound.service import ingest_mail
from services.intake.mail.reading import MailContext
from services.notifications.compose import Sender
from services.notifications.mailer import OutboxMailer
from services.notifications.service import MailPolicy, deliver
from shared.db.engine import session_scope
from shared.db.models import DeliveryRow, EnquiryRow, InboundMailRow, SuppressedAddressRow
from shared.mail_requests import request_mail
from shared.settings import MailSettings
from tests.support import mails
from tests.support.db import migrated, sqlite_url

CONTEXT = MailContext.from_settings(
    MailSettings(mail_from=mails.OUR_ADDRESS, intake_addresses=[mails.INTAKE])
)
POLICY = MailPolicy(sender=Sender(mails.OUR_ADDRESS, "Welcome Center"), base_url="http://x")


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    with migrated(sqlite_url(tmp_path)) as factory:
        yield factory


def ingest(sessions: sessionmaker[Session], raw: bytes) -> str:
    with session_scope(sessions) as session:
        done = ingest_mail(
            session, raw=raw, source="mime", context=CONTEXT, correlation_id="c", max_attempts=3
        )
    assert done.reference is not None
    return done.reference


def send(sessions: sessionmaker[Session], delivery_id: int, folder: Path) -> str:
    with session_scope(sessions) as session:
        return deliver(session, delivery_id=delivery_id, mailer=OutboxMailer(folder), policy=POLICY)


def sent(folder: Path) -> list[EmailMessage]:
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        found.append(message)
    return found


def confirm(sessions: sessionmaker[Session], reference: str, to: str) -> int:
    with session_scope(sessions) as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert case is not None
        return request_mail(session, enquiry=case, kind="confirmation", recipient=to)[0]


def test_a_follow_up_notice_shows_the_new_message_and_answers_the_enquirer(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sender = f"ana.{uuid.uuid4().hex[:6]}@example.net"
    reference = ingest(sessions, mails.enquiry(sender))
    with session_scope(sessions) as session:
        case = session.scalar(select(EnquiryRow).where(EnquiryRow.reference == reference))
        assert case is not None
        case.manager_id = "m-02"
    ingest(sessions, mails.follow_up(sender, reference, text="Ich brauche auch einen Deutschkurs."))
    with sessions() as session:
        notice = session.scalar(select(DeliveryRow).where(DeliveryRow.kind == "follow_up"))
        assert notice is not None
    assert send(sessions, notice.id, tmp_path) == "sent"
    (mail,) = sent(tmp_path)
    assert str(mail["Subject"]).startswith(f"[{reference}] Neue Nachricht / New message")
    assert mail["To"].addresses[0].addr_spec == "karim.haddad@example.org"
    assert mail["Reply-To"].addresses[0].addr_spec == sender
    assert mail["Auto-Submitted"] == "auto-generated"
    assert f"<{reference}.follow_up." in str(mail["Message-ID"])
    for subtype in ("plain", "html"):
        body = mail.get_body((subtype,))
        assert body is not None
        content = body.get_content()
        assert "Ich brauche auch einen Deutschkurs." in content
        assert "nursing diploma" in content  # the case as it stands, below the new message


def test_a_confirmation_of_a_mail_enquiry_threads_with_the_enquirers_mail(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sender = f"bo.{uuid.uuid4().hex[:6]}@example.net"
    reference = ingest(sessions, mails.enquiry(sender))
    with sessions() as session:
        first = session.scalar(select(InboundMailRow.message_id))
    assert send(sessions, confirm(sessions, reference, sender), tmp_path) == "sent"
    (mail,) = sent(tmp_path)
    assert first and mail["In-Reply-To"] == first and mail["References"] == first


def test_no_confirmation_goes_to_an_address_that_bounced_hard(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    sender = f"cy.{uuid.uuid4().hex[:6]}@example.net"
    reference = ingest(sessions, mails.enquiry(sender))
    ingest(sessions, mails.bounce(sender, mails.our_message_id(reference)))
    with sessions() as session:
        assert session.get(SuppressedAddressRow, sender) is not None
    delivery_id = confirm(sessions, ingest(sessions, mails.enquiry(sender.upper())), sender)
    assert send(sessions, delivery_id, tmp_path) == "suppressed"
    assert sent(tmp_path) == []
    with sessions() as session:
        delivery = session.get(DeliveryRow, delivery_id)
        assert delivery is not None and "hard bounce" in (delivery.last_error or "")
