"""Intake use cases: one function, one transaction each. Routes and forms call these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Engine, Table, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from services.intake.schemas import EnquiryCreate, Status, StatusRead
from services.intake.storage import CASE_DEFAULTS, insert_received
from shared.db.models import (
    EnquiryRow,
    IdempotencyRow,
    ManagerRow,
    ReferralRow,
    SiteRow,
    utcnow,
)
from shared.enquiry import EnquiryFields
from shared.privacy.people import phone_key


@dataclass(frozen=True)
class Received:
    enquiry_id: int
    reference: str
    status_token: str
    received_at: dt.datetime
    outbox_ids: tuple[int, ...]  # events to publish after commit; empty for a repeat
    repeated: bool = False


class IdempotencyConflictError(Exception):
    """The Idempotency-Key was used before with a different request."""


def _request_hash(data: EnquiryCreate) -> str:
    body = json.dumps(data.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _received(row: EnquiryRow, outbox_ids: tuple[int, ...], repeated: bool) -> Received:
    assert row.reference is not None
    return Received(row.id, row.reference, row.status_token, row.received_at, outbox_ids, repeated)


def receive_enquiry(
    db: Engine,
    *,
    data: EnquiryCreate,
    channel: str,
    correlation_id: str,
    idempotency_key: str | None = None,
) -> Received:
    """Stores the enquiry and its `enquiry.received` event in one transaction.

    On a plain connection, not an ORM session: the intake's hot path. The connection
    is not tested before use; one that the database dropped (a restart) fails once,
    which renews the pool, and the transaction runs again on a fresh one."""
    digest = _request_hash(data) if idempotency_key else ""
    if idempotency_key:
        earlier = _earlier_answer(db, idempotency_key, digest)
        if earlier is not None:
            return earlier
    for attempt in (1, 2):
        try:
            with db.begin() as connection:
                received = write_enquiry(
                    connection, data=data, channel=channel, correlation_id=correlation_id
                )
                if idempotency_key:
                    connection.execute(
                        _INSERT_KEY,
                        {
                            "key": idempotency_key,
                            "request_hash": digest,
                            "enquiry_id": received.enquiry_id,
                            "created_at": received.received_at,
                        },
                    )
                return received
        except IntegrityError:
            # Two posts with one key at the same moment: the other one won; answer as it did.
            if idempotency_key:
                earlier = _earlier_answer(db, idempotency_key, digest)
                if earlier is not None:
                    return earlier
            raise
        except DBAPIError as exc:
            if not exc.connection_invalidated or attempt == 2:
                raise
    raise AssertionError("unreachable")


_INSERT_KEY = insert(cast(Table, IdempotencyRow.__table__))


def add_enquiry(
    session: Session, *, data: EnquiryFields, channel: str, correlation_id: str
) -> Received:
    """Writes an enquiry and its `enquiry.received` event in the caller's transaction (for
    use cases that store more with it, such as a received mail); never commits."""
    return write_enquiry(
        session.connection(), data=data, channel=channel, correlation_id=correlation_id
    )


def write_enquiry(
    connection: Connection, *, data: EnquiryFields, channel: str, correlation_id: str
) -> Received:
    values = data.model_dump()
    values["email"] = values["email"].lower() if values.get("email") else None
    values["phone_key"] = phone_key(values.get("phone"))
    values["consent_processing"] = bool(values.get("consent_processing"))
    received_at = utcnow()
    if values.get("consent_version"):  # a text was shown: each box ticked now
        values["consent_at"] = received_at if values["consent_processing"] else None
        values["consent_referral_at"] = received_at if values.get("consent_referral") else None
    token = secrets.token_urlsafe(24)
    values.update(
        status_token=token,
        correlation_id=correlation_id,
        channel=channel,
        received_at=received_at,
        **CASE_DEFAULTS,
    )
    enquiry_id, reference, event_id = insert_received(connection, values)
    return Received(enquiry_id, reference, token, received_at, (event_id,), False)


def _earlier_answer(db: Engine, key: str, digest: str) -> Received | None:
    with Session(db) as session:
        found = session.get(IdempotencyRow, key)
        if found is None:
            return None
        if found.request_hash != digest:
            raise IdempotencyConflictError(key)
        row = session.get(EnquiryRow, found.enquiry_id)
        assert row is not None
        return _received(row, (), repeated=True)


NEXT_STEPS: dict[Status, str] = {
    "received": "Your enquiry has been received and is being assigned to a manager.",
    "waiting": "Your enquiry is waiting for the next free manager at the Welcome Center.",
    "with_manager": "A Welcome Center manager has your enquiry and will contact you.",
    "referred": "Your manager has passed your enquiry on to a partner organisation, "
    "with your consent; they will contact you.",
    "closed": "Your enquiry has been answered and closed. Write to us to reopen it.",
}


# Case statuses in which a manager has the enquiry (assigned, taken on, or answered).
_WITH_MANAGER = frozenset({"assigned", "accepted", "waiting"})


def read_status(session: Session, *, token: str) -> StatusRead | None:
    found = session.execute(
        select(EnquiryRow, ManagerRow.site)
        .outerjoin(ManagerRow, ManagerRow.id == EnquiryRow.manager_id)
        .where(EnquiryRow.status_token == token, EnquiryRow.anonymised_at.is_(None))
    ).first()
    if found is None or found[0].reference is None:
        return None
    row, manager_site = found
    status: Status
    if row.status == "closed":
        status = "closed"
    elif session.scalar(
        # A manager's referral; the routing's own (made with the decision) leaves the case
        # with its manager, and the enquirer should read that a manager has it.
        select(ReferralRow.id)
        .where(ReferralRow.enquiry_id == row.id, ReferralRow.requested_by != "auto")
        .limit(1)
    ):
        status = "referred"
    elif row.status in _WITH_MANAGER:
        status = "with_manager"
    elif row.status == "triage":
        status = "waiting"
    else:
        status = "received"
    return StatusRead(
        reference=row.reference,
        status=status,
        received_at=row.received_at,
        # Where the enquirer is advised: the manager's site, which a cross-site language
        # match makes another than the site of the enquirer's place; the mails name it too.
        site=manager_site or row.site,
        next_step=NEXT_STEPS[status],
    )


def site_name(session: Session, code: str | None) -> str | None:
    """The directory's name of a site, e.g. "Welcome Center Wolfsburg"."""
    return session.scalar(select(SiteRow.name).where(SiteRow.code == code)) if code else None
