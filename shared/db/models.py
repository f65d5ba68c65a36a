"""Tables. API schemas are separate classes beside the routes that use them."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored moment as an aware UTC datetime: SQLite hands them back without a zone."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class SiteRow(Base):
    __tablename__ = "sites"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    team_email: Mapped[str] = mapped_column(String(254))
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Office hours (the directory's format); None: the defaults.
    timezone: Mapped[str | None] = mapped_column(String(64))
    hours: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    closures: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    accept_within: Mapped[float | None] = mapped_column(Float)
    triage_within: Mapped[float | None] = mapped_column(Float)


class ManagerRow(Base):
    __tablename__ = "managers"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    site: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)
    absences: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)


class PartnerRow(Base):
    __tablename__ = "partners"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    auto_refer: Mapped[bool] = mapped_column(default=False)


class EnquiryRow(Base):
    """An enquiry as received, and the case it became."""

    __tablename__ = "enquiries"
    __table_args__ = (
        # The desk's lists: a manager's cases, a site's triage queue, newest first.
        Index("ix_enquiries_manager_status", "manager_id", "status", "received_at"),
        Index("ix_enquiries_manager_received", "manager_id", "received_at", "id"),
        Index("ix_enquiries_site_status", "site", "status", "received_at"),
        Index("ix_enquiries_received_at", "received_at"),
        # And on PostgreSQL a trigram index for the search box, made by migration 0005
        # alone: SQLite has no such index.
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    status_token: Mapped[str] = mapped_column(String(64), unique=True)
    correlation_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # What the enquirer told us.
    requester_type: Mapped[str | None] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    company: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(12))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    preferred_language: Mapped[str | None] = mapped_column(String(16))
    preferred_site: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(300))
    message: Mapped[str] = mapped_column(Text)
    consent_processing: Mapped[bool] = mapped_column(default=False)
    consent_referral: Mapped[bool] = mapped_column(default=False)
    # The case: received -> assigned | triage -> accepted -> waiting -> closed (reopened).
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    # Bumped by every change a person makes: a change based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    routed_at: Mapped[dt.datetime | None]
    language: Mapped[str | None] = mapped_column(String(16))
    understood_type: Mapped[str | None] = mapped_column(String(16))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    district: Mapped[str | None] = mapped_column(String(64))
    site: Mapped[str | None] = mapped_column(String(64))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("managers.id"), index=True)
    needs_interpreter: Mapped[bool] = mapped_column(default=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    suggested_partners: Mapped[list[str]] = mapped_column(JSON, default=list)
    assigned_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # advised, referred, ...
    # The history entry of a reassignment the routing service has still to carry out.
    routing_request: Mapped[int | None] = mapped_column(Integer)
    # A person corrected what was understood (language, requester type, topics): when, who.
    corrected_at: Mapped[dt.datetime | None]
    corrected_by: Mapped[str | None] = mapped_column(String(254))
    # Consent as the form or the API took it: the version of the text shown (shared/consent/),
    # its language, and when each box was ticked. None where no text was shown: a mail, or
    # an enquiry from before consent texts had versions.
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consent_language: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[dt.datetime | None]
    consent_referral_at: Mapped[dt.datetime | None]
    # The phone number in one form (+49531...), so that one person's cases are found by it.
    phone_key: Mapped[str | None] = mapped_column(String(32), index=True)
    # The enquirer's personal data was removed (erasure, or retention after closing): when,
    # and why ("erasure", "retention"). The row and its codes stay for the statistics.
    anonymised_at: Mapped[dt.datetime | None]
    anonymised_why: Mapped[str | None] = mapped_column(String(16))


class OutboxRow(Base):
    """An event written with the change it reports; the relay publishes it after commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "published_at", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    task: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_at: Mapped[dt.datetime | None]
    # Set when the producer publishes the event itself right after commit: the relay
    # takes it only after this moment, if the producer has not marked it published.
    publish_after: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)


class DeliveryRow(Base):
    """One mail to one recipient; sent at most once, however often its task runs."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # confirmation, manager, triage, referral
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    partner_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    message_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class ReferralRow(Base):
    __tablename__ = "referrals"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    requested_by: Mapped[str] = mapped_column(String(64))  # a manager id, or "auto"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IdempotencyRow(Base):
    """The first answer to a POST with an Idempotency-Key, returned again on a retry."""

    __tablename__ = "idempotency_keys"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    # Indexed: an erasure deletes a case's keys by it.
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MetaRow(Base):
    """Small facts the services share, such as the directory's version."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class InboundMailRow(Base):
    """One received mail, its bytes as they came, stored before it is read; and its outcome.

    The dedup key (the Message-ID, else a digest of the bytes) is unique: a mail seen
    again, from the same mailbox or another one, finds this row and makes nothing twice.
    """

    __tablename__ = "inbound_mails"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None]
    source: Mapped[str] = mapped_column(String(200))  # "imap:<mailbox>" or "mime"
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(Text)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    correlation_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(16))  # new, follow_up, bounce, ...
    reference: Mapped[str | None] = mapped_column(String(32))
    enquiry_id: Mapped[int | None] = mapped_column(ForeignKey("enquiries.id"), index=True)
    # processed, failed (tried again), dead (given up: `welcomedesk mail reprocess`)
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # created, joined, recorded, ignored
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    duplicates: Mapped[int] = mapped_column(default=0)  # copies seen after this one
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The bytes were deleted after the raw mail retention period (`raw` is empty since).
    raw_deleted_at: Mapped[dt.datetime | None]


class AttachmentRow(Base):
    """A file that came with a mail, or that a manager sent with a reply; `data` is None
    when a limit dropped it, and says why."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mails.id"), index=True)
    case_message_id: Mapped[int | None] = mapped_column(ForeignKey("case_messages.id"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    dropped: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseMessageRow(Base):
    """One message of a case's thread: the enquiry, follow-ups, bounces and auto-replies."""

    __tablename__ = "case_messages"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mails.id"))
    direction: Mapped[str] = mapped_column(String(8))  # "in", "out", or "internal" (a note)
    kind: Mapped[str] = mapped_column(String(16))  # new, follow_up, bounce, auto_reply, note, reply
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sender: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    # The staff mail that told the case's manager about this message, if one did.
    notice_delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))
    # Written by staff (a note or a reply): who.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # A reply to the enquirer: the mail that carries it (its status shows on the thread).
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))


class SuppressedAddressRow(Base):
    """An address that bounced hard: no more automatic mail (confirmations) goes to it."""

    __tablename__ = "suppressed_addresses"
    address: Mapped[str] = mapped_column(String(254), primary_key=True)  # lower case
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    inbound_mail_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mails.id"))


class StaffRow(Base):
    """A person who signs in to the desk: a manager (linked to the directory) or an admin."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    role: Mapped[str] = mapped_column(String(16))  # manager, admin
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("managers.id"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)  # a code counts only once
    language: Mapped[str] = mapped_column(String(8), default="de")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signed_in_at: Mapped[dt.datetime | None]


class StaffSessionRow(Base):
    """A signed-in browser. Only the hash of the cookie's value is kept."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # False while the second factor is still to be given.
    verified: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffLinkRow(Base):
    """A one-time link (to set a password), kept as the hash of its token."""

    __tablename__ = "staff_links"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # password
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]


class ApiTokenRow(Base):
    """A manager's API token (`Authorization: Bearer ...`), kept as its hash."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    manager_id: Mapped[str] = mapped_column(ForeignKey("managers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class CaseHistoryRow(Base):
    """One change of a case: who, what, when. `details` holds codes and ids only; free text
    a person typed (a reason) is in `text`, so that erasure knows what to clear."""

    __tablename__ = "case_history"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))  # a staff e-mail, "routing", "enquirer"
    action: Mapped[str] = mapped_column(String(32))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    text: Mapped[str | None] = mapped_column(Text)


class ReplyTemplateRow(Base):
    """A reply text the desk offers, per language: {"de": {"title": ..., "text": ...}}."""

    __tablename__ = "reply_templates"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    variants: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))


class AuditRow(Base):
    """Who read or changed which case, exported or erased whose data, and who signed in.

    Append-only (a trigger refuses updates; only the audit retention deletes old rows).
    Ids and codes only, never what a person wrote: `details` is checked on the way in
    (shared.privacy.audit)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))  # case_read, case_changed, erasure, ...
    actor: Mapped[str] = mapped_column(String(16))  # staff, token, cli, system
    # No foreign keys: the log outlives nothing it names, and is never held up by them.
    staff_id: Mapped[int | None] = mapped_column(Integer, index=True)
    manager_id: Mapped[str | None] = mapped_column(String(64))  # a token acts as a manager
    enquiry_id: Mapped[int | None] = mapped_column(Integer, index=True)
    via: Mapped[str] = mapped_column(String(8))  # page, api, cli, beat
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class EscalationRow(Base):
    """What an office-hours timer did to a case: a reminder, a reassignment at the limit, a
    triage reminder. Unique per case, timer and the moment the timer counts from (the
    assignment, or the entry into triage): two sweeps never act twice."""

    __tablename__ = "escalations"
    __table_args__ = (UniqueConstraint("enquiry_id", "timer", "since"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enquiry_id: Mapped[int] = mapped_column(ForeignKey("enquiries.id"))
    timer: Mapped[str] = mapped_column(String(16))  # accept_reminder, accept_limit, triage_reminder
    since: Mapped[dt.datetime]
    at: Mapped[dt.datetime]
    site: Mapped[str | None] = mapped_column(String(64))
    manager_id: Mapped[str | None] = mapped_column(String(64))  # whose case it was
    to_manager: Mapped[str | None] = mapped_column(String(64))  # where it went (the limit)
    office_hours: Mapped[float] = mapped_column(Float)  # the limit that applied
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))


class CaseFactRow(Base):
    """What the statistics count of one case, and nothing personal: codes, dates, office-time
    durations and a keyed hash of the enquirer. Keyed by the enquiry's id without a foreign
    key, so that erasing the enquiry keeps it; kept up to date in the transaction of every
    change of the case."""

    __tablename__ = "case_facts"
    __table_args__ = (
        Index("ix_case_facts_received_on", "received_on", "enquiry_id"),
        Index("ix_case_facts_person", "person", "received_at"),
        Index("ix_case_facts_prev_any_on", "prev_any_on"),
        Index("ix_case_facts_prev_site_on", "prev_site_on"),
    )
    enquiry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    received_at: Mapped[dt.datetime]
    received_on: Mapped[dt.date] = mapped_column(Date)  # in the centre's time zone
    channel: Mapped[str] = mapped_column(String(16))
    requester_type: Mapped[str] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(32))  # the primary topic
    district: Mapped[str | None] = mapped_column(String(64))
    site: Mapped[str | None] = mapped_column(String(64))
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    # HMAC of the normalised e-mail address (else phone number): counts persons, names none.
    person: Mapped[int | None] = mapped_column(BigInteger)
    # The same person's previous contact, at any site and at this site (None: the first).
    prev_any_on: Mapped[dt.date | None] = mapped_column(Date)
    prev_site_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    first_response_minutes: Mapped[int | None] = mapped_column(Integer)  # office time
    closing_minutes: Mapped[int | None] = mapped_column(Integer)  # office time
    partners: Mapped[list[str]] = mapped_column(JSON, default=list)  # referred to
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StatisticsMonthRow(Base):
    """The statistics' counters per month of receipt and site, summed from the case facts and
    kept in step with them: a year's figures read a few thousand rows, not every case."""

    __tablename__ = "statistics_months"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    site: Mapped[str] = mapped_column(String(64), primary_key=True)  # "" when unknown
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)  # channel, topic, ...
    value: Mapped[str] = mapped_column(String(64), primary_key=True)  # web, recognition, ...
    n: Mapped[int] = mapped_column(Integer, default=0)
