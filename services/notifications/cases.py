"""A case as the mails show it, read with one query: the enquiry, its manager, its site and
the manager's site; and the names its routing reasons quote."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session, aliased

from services.notifications.views import CaseView, PartnerView
from shared.db.models import (
    EnquiryRow,
    InboundMailRow,
    ManagerRow,
    MetaRow,
    PartnerRow,
    ReferralRow,
    SiteRow,
)
from shared.directory.store import VERSION_KEY
from shared.reasons.names import DirectoryNames


@dataclass(frozen=True)
class Contact:
    address: str
    name: str


@dataclass(frozen=True)
class LoadedCase:
    enquiry_id: int
    view: CaseView
    enquirer: Contact | None
    manager: Contact | None  # the manager the case is assigned to
    team: Contact | None  # the team of the case's site


_E = cast(Table, EnquiryRow.__table__).c
_M = cast(Table, ManagerRow.__table__).c
_S = cast(Table, SiteRow.__table__).c
_MANAGER_SITE = aliased(SiteRow, name="manager_site")
# The Message-ID of the mail a case came in by: its confirmation answers that mail.
_FIRST_MAIL = (
    select(InboundMailRow.message_id)
    .where(InboundMailRow.enquiry_id == _E.id, InboundMailRow.outcome == "created")
    .order_by(InboundMailRow.id)
    .limit(1)
    .scalar_subquery()
)
_CASE = (
    select(
        _E.id,
        _E.reference,
        _E.status_token,
        _E.language,
        _E.preferred_language,
        _E.name,
        _E.email,
        _E.phone,
        _E.understood_type,
        _E.requester_type,
        _E.company,
        _E.topics,
        _E.district,
        _E.subject,
        _E.message,
        _E.reasons,
        _E.needs_interpreter,
        _M.name.label("manager_name"),
        _M.email.label("manager_email"),
        _S.name.label("site_name"),
        _MANAGER_SITE.name.label("manager_site_name"),
        _S.team_email,
        _FIRST_MAIL.label("first_mail_id"),
        # The directory's version, so that its names are read again only after a change.
        select(MetaRow.value)
        .where(MetaRow.key == VERSION_KEY)
        .scalar_subquery()
        .label("directory_version"),
    )
    .select_from(cast(Table, EnquiryRow.__table__))
    .outerjoin(cast(Table, ManagerRow.__table__), _M.id == _E.manager_id)
    .outerjoin(cast(Table, SiteRow.__table__), _S.code == _E.site)
    .outerjoin(_MANAGER_SITE, _MANAGER_SITE.code == _M.site)
    .where(_E.id == bindparam("key"))
)
_NAMES = DirectoryNames()
_CASE_FOR_UPDATE = _CASE.with_for_update(of=cast(Table, EnquiryRow.__table__))
_PARTNER_COLUMNS = (
    PartnerRow.id,
    PartnerRow.name,
    PartnerRow.email,
    PartnerRow.languages,
    PartnerRow.topics,
)
_PARTNER = select(*_PARTNER_COLUMNS).where(PartnerRow.id == bindparam("key"))
# The partners the routing referred the case to at once (a manager's referral names its own).
_AUTO_REFERRED = (
    select(*_PARTNER_COLUMNS)
    .join(ReferralRow, ReferralRow.partner_id == PartnerRow.id)
    .where(ReferralRow.enquiry_id == bindparam("key"), ReferralRow.requested_by == "auto")
    .order_by(ReferralRow.id)
)


def load_case(
    session: Session, enquiry_id: int, *, base_url: str, for_update: bool = False
) -> LoadedCase | None:
    """`for_update` locks the enquiry's row (PostgreSQL), so that two runs of one event
    never plan the same mails side by side."""
    connection = session.connection()
    locking = for_update and connection.dialect.name == "postgresql"
    row = connection.execute(_CASE_FOR_UPDATE if locking else _CASE, {"key": enquiry_id}).first()
    if row is None:
        return None
    manager = Contact(row.manager_email, row.manager_name) if row.manager_email else None
    team = Contact(row.team_email, row.site_name) if row.team_email else None
    enquirer = Contact(row.email, row.name or "") if row.email else None
    view = case_view(row, base_url)
    referred = tuple(map(_partner_view, connection.execute(_AUTO_REFERRED, {"key": row.id})))
    names = _NAMES.at(session, row.directory_version or "0")
    view = replace(view, names=names, referred=referred)
    return LoadedCase(row.id, view, enquirer, manager, team)


def _partner_view(row: Any) -> PartnerView:
    return PartnerView(row.id, row.name, row.email, tuple(row.languages), tuple(row.topics))


def load_partner(session: Session, partner_id: str) -> PartnerView | None:
    row = session.connection().execute(_PARTNER, {"key": partner_id}).first()
    return None if row is None else _partner_view(row)


def case_view(row: Any, base_url: str) -> CaseView:
    base = base_url.rstrip("/")
    return CaseView(
        reference=row.reference,
        language=row.language or row.preferred_language or "en",
        enquirer_name=row.name,
        enquirer_email=row.email,
        enquirer_phone=row.phone,
        requester_type=row.understood_type or row.requester_type or "worker",
        company=row.company,
        topics=tuple(row.topics or ("other",)),
        district=row.district,
        site_name=row.site_name,
        subject=row.subject,
        message=row.message,
        status_url=f"{base}/status/{row.status_token}",
        case_url=f"{base}/cases/{row.reference}",
        reasons=tuple(row.reasons or ()),
        needs_interpreter=row.needs_interpreter,
        manager_name=row.manager_name,
        manager_site_name=row.manager_site_name,
        in_reply_to=row.first_mail_id,
    )
