"""One person leaving traces everywhere, through the product's own use cases in-process: a
web enquiry, a mail with a file, a follow-up, a list mail on no case, a bounce, a manager's
referral, note, reassignment reason and reply with a file."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from sqlalchemy.orm import Session, sessionmaker

from services.desk.cases import lifecycle, replies
from services.desk.cases.access import find_case
from services.intake import service as intake
from services.intake.inbound.service import ingest_mail
from services.intake.mail.reading import MailContext
from services.intake.schemas import EnquiryCreate
from shared.db.engine import session_scope
from shared.db.models import EnquiryRow, SuppressedAddressRow, utcnow
from shared.settings import MailSettings
from tests.support import mails
from tests.support.cases import manager
from tests.support.traces import Markers

CONTEXT = MailContext.from_settings(
    MailSettings(mail_from=mails.OUR_ADDRESS, intake_addresses=[mails.INTAKE])
)
LIMITS = replies.FileLimits(per_file=1 << 20, per_reply=1 << 21, count=5)
# Where a person's text markers are put.
WHERES = [
    "name",
    "city",
    "subject",
    "message",
    "mail",
    "mailsubject",
    "file",
    "followup",
    "list",
    "note",
    "reason",
    "reply",
    "upload",
]


def mail(
    sender: str,
    subject: str,
    text: str,
    *,
    name: str = "",
    file: tuple[str, bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A mail as a mail program writes it: its text quoted-printable, its file base64."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"{name} <{sender}>" if name else sender
    msg["To"] = mails.INTAKE
    msg["Subject"] = subject
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = make_msgid(domain="mail.example.net")
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text, cte="quoted-printable")
    if file is not None:
        msg.add_attachment(file[1], maintype="application", subtype="pdf", filename=file[0])
    return msg.as_bytes()


@dataclass
class Traces:
    email: str
    references: list[str] = field(default_factory=list)  # their cases


def _ingest(sessions: sessionmaker[Session], raw: bytes) -> str | None:
    with session_scope(sessions) as session:
        done = ingest_mail(
            session,
            raw=raw,
            source="mime",
            context=CONTEXT,
            correlation_id=uuid.uuid4().hex,
            max_attempts=3,
        )
        return done.reference


def web_enquiry(
    sessions: sessionmaker[Session], markers: Markers, email: str | None, phone: str | None
) -> str:
    received = intake.receive_enquiry(
        sessions.kw["bind"],
        data=EnquiryCreate(
            name=f"Ana Gómez {markers.text('name')}",
            email=email,
            phone=phone,
            postal_code="38100",
            city=f"Braunschweig {markers.text('city')}",
            subject=f"Anerkennung {markers.text('subject')}",
            message=f"Ich bin Pflegekraft. {markers.text('message')} Wie geht die Anerkennung?",
            consent_processing=True,
            consent_referral=True,
            consent_language="de",
        ),
        channel="web",
        correlation_id=uuid.uuid4().hex,
        idempotency_key=f"form-{markers.ascii}-{uuid.uuid4().hex[:6]}",
    )
    with session_scope(sessions) as session:
        row = session.get(EnquiryRow, received.enquiry_id)
        assert row is not None
        row.status, row.manager_id, row.site = "accepted", "m-01", "braunschweig"
        row.routed_at = row.assigned_at = row.accepted_at = utcnow()
        row.language, row.topics = "de", ["recognition"]
        row.reasons = [f"district braunschweig from city {row.city}"]
    return received.reference


def leave_traces(
    sessions: sessionmaker[Session], markers: Markers, *, phone: str = "0531 1234567"
) -> Traces:
    """Everything the product keeps about a person, each piece carrying a marker."""
    email = f"ana.{markers.ascii}@example.net"
    traces = Traces(email)
    first = web_enquiry(sessions, markers, email, phone)
    traces.references.append(first)
    mailed = _ingest(
        sessions,
        mail(
            email,
            f"Zeugnis {markers.text('mailsubject')}",
            f"Guten Tag, anbei mein Zeugnis. {markers.text('mail')}",
            name=f"Ana Gómez {markers.text('name')}",
            file=(f"zeugnis-{markers.ascii}.pdf", f"%PDF-1.4 {markers.text('file')}".encode()),
        ),
    )
    assert mailed is not None
    traces.references.append(mailed)
    joined = _ingest(
        sessions,
        mail(email, f"Re: [{first}] Ihre Anfrage", f"Noch eine Frage: {markers.text('followup')}"),
    )
    assert joined == first
    _ingest(  # a list mail: kept on no case
        sessions,
        mail(email, "Newsletter", f"{markers.text('list')}", headers={"List-Id": "<n.example>"}),
    )
    with session_scope(sessions) as session:
        session.add(SuppressedAddressRow(address=email, reason=f"hard bounce on {first}"))
    staff = manager("m-01")
    with session_scope(sessions) as session:
        lifecycle.refer(session, staff=staff, reference=first, partner_id="p-01")
        lifecycle.add_note(session, staff=staff, reference=first, text=markers.text("note"))
    with session_scope(sessions) as session:
        case = find_case(session, staff, first)
        replies.reply(
            session,
            staff=staff,
            reference=first,
            version=case.version,
            text=f"Guten Tag, {markers.text('reply')}",
            uploads=[
                replies.Upload(
                    f"liste-{markers.ascii}.pdf", "application/pdf", markers.text("upload").encode()
                )
            ],
            limits=LIMITS,
        )
        lifecycle.reassign(  # the same row: its version moved on with the reply
            session,
            staff=staff,
            reference=first,
            version=case.version,
            manager_id="m-02",
            reason=markers.text("reason"),
        )
    return traces
