"""The line `welcomedesk mail inspect` prints for one mail: why it is handled as it is.

The reader (language, requester type, topics) is passed in: the intake knows the
routing engine's Reader only by this protocol, and the command line builds it.
"""

from __future__ import annotations

from typing import Any, Protocol

from services.intake.mail.reading import MailContext, MailReading, read_mail
from shared.enquiry import EnquiryFields

EXCERPT = 200


class Understood(Protocol):
    @property
    def language(self) -> str: ...

    @property
    def requester_type(self) -> str: ...

    @property
    def primary_topic(self) -> str: ...


class EnquiryReader(Protocol):
    def read(self, fields: EnquiryFields) -> Understood: ...


def excerpt(text: str, limit: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def inspect_mail(
    raw: bytes, *, file: str, context: MailContext, reader: EnquiryReader | None
) -> dict[str, Any]:
    reading = read_mail(raw, context=context)
    line = describe(reading, file=file)
    fields = reading.enquiry_fields() if reading.kind == "new" and reader else None
    if fields is not None and reader is not None:
        understood = reader.read(fields)
        line["language"] = understood.language
        line["requester_type"] = understood.requester_type
        line["primary_topic"] = understood.primary_topic
    return line


def describe(reading: MailReading, *, file: str) -> dict[str, Any]:
    parsed, who = reading.parsed, reading.enquirer
    bounce = reading.classification.bounce
    return {
        "file": file,
        "kind": reading.kind,
        "reference": reading.reference,
        "message_id": parsed.message_id,
        "from": who.address if who else None,
        "from_name": who.name if who and who.name else None,
        "subject": reading.subject,
        "language": None,
        "requester_type": None,
        "primary_topic": None,
        "text_excerpt": excerpt(reading.text),
        "attachments": [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in parsed.attachments
        ],
        "notes": list(reading.notes),
        "reasons": list(reading.classification.reasons),
        "forwarded_by": reading.forwarded_by.address if reading.forwarded_by else None,
        "bounce": None
        if bounce is None
        else {
            "original_message_id": bounce.original_message_id,
            "severity": bounce.severity,
            "status": bounce.status or None,
            "recipients": list(bounce.recipients),
        },
    }
