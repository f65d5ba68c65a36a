"""Correcting what was understood of a case (language, requester type, topics): kept with
who and when, the values before in the history; the corrected values are what partner
suggestions, statistics and a reassignment use from then on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from babel import localedata
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.desk.cases.access import find_case
from services.desk.cases.errors import InvalidInputError
from services.desk.cases.lifecycle import Changed, checked, history, not_anonymised, owned
from services.desk.staff import Staff
from shared.db.models import EnquiryRow, utcnow
from shared.events import UnderstandingCorrected
from shared.messaging.outbox import add_event
from shared.vocabulary import REQUESTER_TYPES, TOPICS


def _language(code: str) -> str:
    code = code.strip().lower()
    if len(code) != 2 or not code.isalpha() or not localedata.exists(code):
        raise InvalidInputError(
            f"language: {code!r} is not an ISO 639-1 language code", field="language"
        )
    return code


def _topics(codes: Sequence[str]) -> list[str]:
    chosen: list[str] = []
    for code in codes:
        if code not in TOPICS:
            raise InvalidInputError(
                f"topics: {code!r} is not a topic (one of {', '.join(TOPICS)})", field="topics"
            )
        if code not in chosen:
            chosen.append(code)
    if not chosen:
        raise InvalidInputError(
            "topics: name at least one; the first is the primary", field="topics"
        )
    return chosen


def correct(
    session: Session,
    *,
    staff: Staff,
    reference: str,
    version: int | None,
    language: str | None = None,
    requester_type: str | None = None,
    topics: Sequence[str] | None = None,
) -> Changed:
    case = find_case(session, staff, reference, lock=True)
    not_anonymised(case)
    checked(case, version)
    owned(staff, case, "correct")
    after: dict[str, Any] = {}
    if language is not None:
        after["language"] = _language(language)
    if requester_type is not None:
        if requester_type not in REQUESTER_TYPES:
            raise InvalidInputError(
                f"requester_type: {requester_type!r} is not worker or employer",
                field="requester_type",
            )
        after["requester_type"] = requester_type
    if topics is not None:
        after["topics"] = _topics(topics)
    if not after:
        raise InvalidInputError(
            "language, requester_type or topics: give at least one", field="language"
        )
    before = {
        "language": case.language,
        "requester_type": case.understood_type or case.requester_type,
        "topics": list(case.topics or ()),
    }
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return Changed(case, "unchanged")
    if "language" in changed:
        case.language = changed["language"]
    if "requester_type" in changed:
        case.understood_type = changed["requester_type"]
    if "topics" in changed:
        case.topics = changed["topics"]
    case.corrected_at = utcnow()
    case.corrected_by = staff.actor
    case.version += 1
    history(
        session,
        case,
        staff,
        "corrected",
        before={k: before[k] for k in changed},
        after=changed,
    )
    event = UnderstandingCorrected(case.correlation_id, enquiry_id=case.id)
    return Changed(case, "corrected", (add_event(session, event),))


ROUTE_FIELDS = (
    "requester_type",
    "company",
    "postal_code",
    "city",
    "country",
    "preferred_language",
    "preferred_site",
    "subject",
    "message",
    "consent_processing",
    "consent_referral",
)
CONTACT_FIELDS = ("name", "email", "phone")


def corrected_cases(
    session: Session, *, since: dt.datetime | None = None, with_contacts: bool = False
) -> Iterator[dict[str, Any]]:
    """The corrected cases as lines of `welcomedesk route`'s input, the corrected labels in
    an `expect` object like the labelled corpus: a centre measures the engine on its own
    cases. Contacts are left out unless asked for: the engine does not need them."""
    query = select(EnquiryRow).where(EnquiryRow.corrected_at.is_not(None))
    if since is not None:
        query = query.where(EnquiryRow.corrected_at >= since)
    fields = ROUTE_FIELDS + (CONTACT_FIELDS if with_contacts else ())
    for case in session.scalars(query.order_by(EnquiryRow.corrected_at, EnquiryRow.id)):
        line: dict[str, Any] = {"id": case.reference, "channel": case.channel}
        line.update(
            {name: getattr(case, name) for name in fields if getattr(case, name) is not None}
        )
        topics = list(case.topics or ())
        line["expect"] = {
            "language": case.language,
            "requester_type": case.understood_type or case.requester_type,
            "topics": topics,
            "primary_ok": topics[:1],
            "district": case.district,
            "site": case.site,
        }
        yield line
