"""Finding everything held about one person: by their e-mail address, whole and in lower
case, and by their phone number where one is given.

A case with their phone number but another e-mail address is not taken as theirs (a
family's shared phone): it is named in `elsewhere`, for the administrator to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shared.db.models import CaseMessageRow, EnquiryRow, InboundMailRow, SuppressedAddressRow
from shared.privacy.people import NotAnAddressError, normalise_email, phone_key

HEAD_BYTES = 65_536  # a mail's headers are read from this much of its start
SENDER_HEADERS = ("From", "Sender", "Reply-To")


class NotAPhoneError(ValueError):
    """The text has too few digits to be a phone number."""


@dataclass(frozen=True)
class Person:
    email: str  # as stored: trimmed, lower case
    phone: str | None = None  # as stored in phone_key: +49531...

    @classmethod
    def parse(cls, email: str, phone: str | None = None) -> Person:
        """Raises NotAnAddressError or NotAPhoneError with the reason."""
        key = phone_key(phone) if phone else None
        if phone and key is None:
            raise NotAPhoneError(f"{phone!r} has too few digits for a phone number")
        return cls(normalise_email(email), key)


@dataclass(frozen=True)
class Found:
    cases: list[tuple[int, str]] = field(default_factory=list)  # (id, reference)
    messages: list[int] = field(default_factory=list)  # their mails on others' cases
    mails: list[int] = field(default_factory=list)  # received mails: those and on no case
    suppressed: list[str] = field(default_factory=list)  # their address, after a bounce
    elsewhere: list[str] = field(default_factory=list)  # their phone, another address

    @property
    def empty(self) -> bool:
        return not (self.cases or self.mails or self.messages or self.suppressed)

    @property
    def case_ids(self) -> list[int]:
        return [case_id for case_id, _ in self.cases]


def _cases(session: Session, person: Person, lock: bool) -> list[tuple[int, str]]:
    theirs = EnquiryRow.email == person.email
    if person.phone:
        no_other_address = or_(EnquiryRow.email.is_(None), EnquiryRow.email == person.email)
        theirs = or_(theirs, and_(EnquiryRow.phone_key == person.phone, no_other_address))
    query = (
        select(EnquiryRow.id, EnquiryRow.reference)
        .where(theirs, EnquiryRow.anonymised_at.is_(None))
        .order_by(EnquiryRow.id)
    )
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=EnquiryRow)  # a mail joining meanwhile waits
    return [(int(row.id), str(row.reference)) for row in session.execute(query)]


def _elsewhere(session: Session, person: Person) -> list[str]:
    if not person.phone:
        return []
    query = select(EnquiryRow.reference).where(
        EnquiryRow.phone_key == person.phone,
        EnquiryRow.email.is_not(None),
        EnquiryRow.email != person.email,
        EnquiryRow.anonymised_at.is_(None),
    )
    return sorted(str(reference) for reference in session.scalars(query))


def senders(head: bytes) -> set[str]:
    """The addresses a mail says it is from, in lower case."""
    parsed = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    values = [str(v) for name in SENDER_HEADERS for v in parsed.get_all(name, [])]
    return {address.strip().lower() for _, address in getaddresses(values) if address}


def _unlinked_mails(session: Session, person: Person) -> list[int]:
    """Their received mails on no case (dead letters, ignored mail): found by their
    headers, as nothing else names them. Few: they go after the raw mail retention."""
    query = select(InboundMailRow.id, func.substr(InboundMailRow.raw, 1, HEAD_BYTES)).where(
        InboundMailRow.enquiry_id.is_(None), InboundMailRow.raw_deleted_at.is_(None)
    )
    return [
        int(mail_id)
        for mail_id, head in session.execute(query)
        if person.email in senders(bytes(head or b""))
    ]


def find_person(session: Session, person: Person, *, lock: bool = False) -> Found:
    """Everything held about the person; `lock` holds their cases until commit."""
    cases = _cases(session, person, lock)
    ids = [case_id for case_id, _ in cases]
    others = session.execute(
        select(CaseMessageRow.id, CaseMessageRow.inbound_mail_id).where(
            CaseMessageRow.sender == person.email, CaseMessageRow.enquiry_id.not_in(ids)
        )
    ).all()
    mails = [int(m) for _, m in others if m is not None] + _unlinked_mails(session, person)
    suppressed = session.scalars(
        select(SuppressedAddressRow.address).where(SuppressedAddressRow.address == person.email)
    )
    return Found(
        cases=cases,
        messages=[int(message_id) for message_id, _ in others],
        mails=sorted(set(mails)),
        suppressed=list(suppressed),
        elsewhere=_elsewhere(session, person),
    )


__all__ = ["Found", "NotAPhoneError", "NotAnAddressError", "Person", "find_person"]
