"""What the mails are made from: plain values read from the database, no rows, no sessions."""

from __future__ import annotations

from dataclasses import dataclass, field

from shared.reasons import Names


@dataclass(frozen=True)
class PartnerView:
    id: str
    name: str
    email: str
    languages: tuple[str, ...]  # as the directory lists them, the one it prefers first
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Sender:
    address: str  # e.g. "welcome@example.org" (WELCOMEDESK_MAIL_FROM)
    name: str  # e.g. "Welcome Center Region Braunschweig-Wolfsburg"


@dataclass(frozen=True)
class CaseView:
    reference: str  # "WC-2026-000123"
    language: str  # the enquirer's language, ISO 639-1
    enquirer_name: str | None
    enquirer_email: str | None
    enquirer_phone: str | None
    requester_type: str  # "worker" | "employer"
    company: str | None
    topics: tuple[str, ...]  # topic codes, primary first
    district: str | None
    site_name: str | None  # the case's site (the enquirer's place): "Welcome Center Braunschweig"
    subject: str | None
    message: str  # the enquiry text as written
    status_url: str  # the enquirer's status page; the mail adds its own language
    case_url: str  # the case in the managers' workspace
    reasons: tuple[str, ...]  # routing reasons as stored: English, ids for managers and partners
    needs_interpreter: bool
    manager_name: str | None
    in_reply_to: str | None = None  # Message-ID of the enquirer's own e-mail, for threading
    manager_site_name: str | None = None  # the site of the manager who advises the enquirer
    names: Names = field(default_factory=Names)  # names for the ids in `reasons`
    referred: tuple[PartnerView, ...] = ()  # partners the routing referred the case to at once


def primary_topic(case: CaseView) -> str:
    return case.topics[0] if case.topics else "other"
