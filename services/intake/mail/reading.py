"""One received mail read end to end: parsed, split, classified, its enquirer found.

`read_mail` is what `welcomedesk mail inspect` shows and what ingestion will
store and act on: pure, no I/O beyond the bytes it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from services.intake.mail.classify import Classification, Kind, Ours, classify
from services.intake.mail.model import AttachmentLimits, Mailbox, ParsedMail
from services.intake.mail.parse import parse_mail
from services.intake.mail.text import Split, split_text
from shared.enquiry import EnquiryFields
from shared.settings import MailSettings

MAX_MESSAGE = 20_000  # EnquiryFields.message
MAX_NAME = 200
MAX_SUBJECT = 300


@dataclass(frozen=True)
class MailContext:
    """Who we are and what we keep: the same for the services and for `mail inspect`."""

    ours: Ours
    limits: AttachmentLimits

    @classmethod
    def from_settings(cls, settings: MailSettings) -> MailContext:
        limits = AttachmentLimits(
            max_bytes=settings.mail_attachment_max_bytes,
            max_total_bytes=settings.mail_attachments_max_bytes,
            max_count=settings.mail_attachments_max_count,
        )
        return cls(Ours.from_settings(settings), limits)


@dataclass(frozen=True)
class MailReading:
    parsed: ParsedMail
    split: Split
    classification: Classification
    enquirer: Mailbox | None  # who the enquiry is from: the forwarded person if forwarded
    forwarded_by: Mailbox | None
    notes: tuple[str, ...]

    @property
    def kind(self) -> Kind:
        return self.classification.kind

    @property
    def reference(self) -> str | None:
        return self.classification.reference

    @property
    def subject(self) -> str:
        forwarded = self.split.forwarded
        return forwarded.subject if forwarded and forwarded.subject else self.parsed.subject

    @property
    def text(self) -> str:
        return self.split.enquiry_text

    def enquiry_fields(self) -> EnquiryFields | None:
        """The intake fields of the enquiry this mail makes; None when it says nothing.

        A mail with attachments only is read by its subject ("Bewerbung", "Zeugnis")."""
        # A NUL is never what a person wrote, and the fields refuse it: dropped, not the mail.
        text, subject = self.text.replace("\x00", ""), self.subject.replace("\x00", "")
        message = (text.strip() or subject.strip())[:MAX_MESSAGE]
        if not message:
            return None
        who = self.enquirer
        fields = {
            "name": (who.name.replace("\x00", "")[:MAX_NAME] or None) if who else None,
            "email": who.address if who else None,
            "subject": subject[:MAX_SUBJECT] or None,
            "message": message,
        }
        for attempt in (fields, {**fields, "email": None, "name": None}):
            try:
                return EnquiryFields.model_validate(attempt)
            except ValidationError:
                # An address the validator refuses, or a name it cannot take: try without.
                continue
        return None


def read_mail(raw: bytes, *, context: MailContext) -> MailReading:
    parsed = parse_mail(raw, limits=context.limits)
    split = split_text(parsed.text, subject=parsed.subject)
    classification = classify(parsed, split, context.ours)
    notes = list(parsed.notes)
    if split.quoted:
        notes.append("quoted reply set aside")
    if split.signature:
        notes.append("signature set aside")
    if split.footer:
        notes.append("footer set aside")
    enquirer = parsed.sender
    forwarded_by = None
    if split.forwarded and split.forwarded.text.strip():
        forwarded_by = parsed.sender
        enquirer = split.forwarded.sender or parsed.sender
        notes.append("forwarded: read as the forwarded sender's enquiry")
    elif parsed.reply_to and parsed.sender and parsed.reply_to[0].key != parsed.sender.key:
        enquirer = parsed.reply_to[0]
        notes.append("enquirer from Reply-To")
    return MailReading(parsed, split, classification, enquirer, forwarded_by, tuple(notes))
