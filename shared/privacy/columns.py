"""Every column that can hold an enquirer's personal data, and how anonymising clears it.

The one list: erasure and retention clear exactly these (shared.privacy.anonymise builds
its statements from it). Every other text, binary or JSON column is declared free of an
enquirer's personal data in NOT_PERSONAL, with why; a test fails when the models grow a
column that is in neither, so that no personal column can be added and forgotten here.

Rows stay and keep their ids, codes and dates: the statistics and the foreign keys do
not change. Only `idempotency_keys` and `suppressed_addresses` lose whole rows, which
nothing refers to.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class Clear(Enum):
    """What a personal column becomes."""

    NULL = "null"
    EMPTY = "empty"  # "" where the column may not be NULL
    NO_BYTES = "no_bytes"  # b"" for a required binary column
    EMPTY_LIST = "empty_list"  # [] for a JSON list
    EMPTY_OBJECT = "empty_object"  # {} for a JSON object
    ERASED_ID = "erased_id"  # "erased:<row id>" where the column must stay unique
    ROW_DELETED = "row_deleted"  # the whole row goes


PERSONAL: Final[dict[str, dict[str, Clear]]] = {
    "enquiries": {
        "name": Clear.NULL,
        "email": Clear.NULL,
        "phone": Clear.NULL,
        "phone_key": Clear.NULL,
        "company": Clear.NULL,  # a one-person business is a person
        "postal_code": Clear.NULL,
        "city": Clear.NULL,
        "country": Clear.NULL,
        "preferred_site": Clear.NULL,  # free text in the API
        "subject": Clear.NULL,
        "message": Clear.EMPTY,
        "status_token": Clear.ERASED_ID,  # the enquirer's status link stops working
        "reasons": Clear.EMPTY_LIST,  # routing reasons quote the postal code and the city
    },
    "case_messages": {
        "sender": Clear.NULL,
        "subject": Clear.NULL,
        "text": Clear.EMPTY,
    },
    "inbound_mails": {
        "raw": Clear.NO_BYTES,
        "sha256": Clear.EMPTY,  # a digest of the bytes would confirm a guess of them
        "message_id": Clear.NULL,  # the sender's Message-ID often names them or their host
        "dedup_key": Clear.ERASED_ID,  # the same mail arriving again is a new contact
        "last_error": Clear.NULL,  # a parser's or database's error may quote the mail
        "notes": Clear.EMPTY_OBJECT,  # reading notes name attachments
    },
    "attachments": {
        "filename": Clear.EMPTY,
        "data": Clear.NULL,
    },
    "deliveries": {
        "recipient": Clear.EMPTY,
        "recipient_name": Clear.NULL,
        "last_error": Clear.NULL,  # a server's answer quotes the address
    },
    "case_history": {
        "text": Clear.NULL,  # what a person typed (a reason)
    },
    "idempotency_keys": {
        "key": Clear.ROW_DELETED,
        "request_hash": Clear.ROW_DELETED,  # a digest of the whole enquiry
    },
    "suppressed_addresses": {
        "address": Clear.ROW_DELETED,
        "reason": Clear.ROW_DELETED,
    },
}

# How a table's rows belong to a case: the column holding the case's id.
CASE_LINK: Final[dict[str, str]] = {
    "enquiries": "id",
    "case_messages": "enquiry_id",
    "inbound_mails": "enquiry_id",
    "attachments": "enquiry_id",
    "deliveries": "enquiry_id",
    "case_history": "enquiry_id",
    "idempotency_keys": "enquiry_id",
}

_CODE = "a code of the product's vocabulary"
_STAFF = "the desk's staff and their accounts, not an enquirer"
_DIRECTORY = "the directory: the centre's sites, managers and partner organisations"
_ID = "an id the product makes"

NOT_PERSONAL: Final[dict[str, dict[str, str]]] = {
    "enquiries": {
        "reference": "the case's reference, made by the product",
        "correlation_id": _ID,
        "channel": _CODE,
        "requester_type": _CODE,
        "preferred_language": "a language tag (the statistics count languages)",
        "status": _CODE,
        "language": _CODE,
        "understood_type": _CODE,
        "topics": "topic codes",
        "district": _CODE,
        "site": _CODE,
        "manager_id": _DIRECTORY,
        "excluded": "managers not chosen and why: about the managers",
        "suggested_partners": "partner ids",
        "outcome": _CODE,
        "corrected_by": _STAFF,
        "consent_version": "the version of the consent text shown",
        "consent_language": "the language of the consent text shown",
        "anonymised_why": _CODE,
    },
    "case_messages": {"direction": _CODE, "kind": _CODE},
    "inbound_mails": {
        "source": "the centre's own mailbox, or 'mime'",
        "correlation_id": _ID,
        "kind": _CODE,
        "reference": "the case's reference",
        "status": _CODE,
        "outcome": _CODE,
    },
    "attachments": {
        "content_type": "a MIME type",
        "dropped": "which limit dropped the file, in the product's words",
    },
    "deliveries": {
        "kind": _CODE,
        "partner_id": _DIRECTORY,
        "status": _CODE,
        "message_id": "the random part of our Message-ID",
    },
    "referrals": {"partner_id": _DIRECTORY, "requested_by": "a manager id or a staff account"},
    "case_history": {
        "actor": "a staff account, or the routing service or the enquirer as a code",
        "action": _CODE,
        "details": "codes and ids only, by design (shared.history)",
    },
    "outbox": {"task": "a task name", "payload": "ids only, by design (shared.events)"},
    "meta": {"key": "the services' shared facts", "value": "the services' shared facts"},
    "sites": {
        "code": _DIRECTORY,
        "name": _DIRECTORY,
        "team_email": _DIRECTORY,
        "districts": _DIRECTORY,
        "timezone": _DIRECTORY,
        "hours": _DIRECTORY,
        "closures": _DIRECTORY,
    },
    # The statistics: codes, dates and durations kept per case so that the figures never
    # change when the case's personal data is erased (the person only as a keyed hash).
    "case_facts": {
        "channel": _CODE,
        "requester_type": _CODE,
        "language": _CODE,
        "topic": _CODE,
        "district": _CODE,
        "site": _DIRECTORY,
        "status": _CODE,
        "outcome": _CODE,
        "partners": _DIRECTORY,
    },
    "statistics_months": {
        "month": "a calendar month",
        "site": _DIRECTORY,
        "metric": _CODE,
        "value": _CODE,
    },
    # What the office-hours timers did: codes and the directory's ids.
    "escalations": {
        "timer": _CODE,
        "site": _DIRECTORY,
        "manager_id": _DIRECTORY,
        "to_manager": _DIRECTORY,
    },
    "managers": {
        "id": _DIRECTORY,
        "name": _DIRECTORY,
        "email": _DIRECTORY,
        "site": _DIRECTORY,
        "languages": _DIRECTORY,
        "topics": _DIRECTORY,
        "absences": _DIRECTORY,
    },
    "partners": {
        "id": _DIRECTORY,
        "name": _DIRECTORY,
        "email": _DIRECTORY,
        "topics": _DIRECTORY,
        "target_groups": _DIRECTORY,
        "languages": _DIRECTORY,
        "districts": _DIRECTORY,
    },
    "staff": {
        "email": _STAFF,
        "role": _STAFF,
        "manager_id": _STAFF,
        "password_hash": _STAFF,
        "totp_secret": _STAFF,
        "language": _STAFF,
    },
    "staff_sessions": {"id": _STAFF},
    "staff_links": {"id": _STAFF, "purpose": _STAFF},
    "api_tokens": {"manager_id": _STAFF, "token_hash": _STAFF},
    "reply_templates": {
        "key": _STAFF,
        "variants": "texts staff wrote for anyone",
        "updated_by": _STAFF,
    },
    "audit_log": {
        "action": _CODE,
        "actor": _CODE,
        "manager_id": _DIRECTORY,
        "via": _CODE,
        "details": "codes and ids only, checked on the way in (shared.privacy.audit)",
    },
    "idempotency_keys": {},
    "suppressed_addresses": {},
}

# Columns anonymising sets besides the personal ones: when and why, and mail that can no
# longer be sent (or retried from its bytes). Statistics never count them.
BOOKKEEPING: Final[dict[str, frozenset[str]]] = {
    "enquiries": frozenset({"anonymised_at", "anonymised_why"}),
    "inbound_mails": frozenset({"raw_deleted_at", "status"}),
    "deliveries": frozenset({"status"}),
}
