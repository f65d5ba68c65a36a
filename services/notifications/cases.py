"""A case as the mails show it, read with one query: the enquiry, its manager and its site."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications.compose import CaseView
from shared.db.models import EnquiryRow, ManagerRow, SiteRow


@dataclass(frozen=True)
class Contact:
    address: str
    name: str


@dataclass(frozen=True)
class LoadedCase:
    enquiry: EnquiryRow
    view: CaseView
    manager: Contact | None  # the manager the case is assigned to
    team: Contact | None  # the team of the case's site


def load_case(
    session: Session, enquiry_id: int, *, base_url: str, for_update: bool = False
) -> LoadedCase | None:
    """`for_update` locks the enquiry's row (PostgreSQL), so that two runs of one event
    never plan the same mails side by side."""
    query = (
        select(EnquiryRow, ManagerRow.name, ManagerRow.email, SiteRow.name, SiteRow.team_email)
        .outerjoin(ManagerRow, ManagerRow.id == EnquiryRow.manager_id)
        .outerjoin(SiteRow, SiteRow.code == EnquiryRow.site)
        .where(EnquiryRow.id == enquiry_id)
    )
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=EnquiryRow)
    found = session.execute(query).one_or_none()
    if found is None:
        return None
    enquiry, manager_name, manager_email, site_name, team_email = found
    manager = Contact(manager_email, manager_name) if manager_email else None
    team = Contact(team_email, site_name) if team_email else None
    return LoadedCase(enquiry, case_view(enquiry, base_url, manager, site_name), manager, team)


def case_view(
    enquiry: EnquiryRow, base_url: str, manager: Contact | None, site_name: str | None
) -> CaseView:
    assert enquiry.reference is not None
    base = base_url.rstrip("/")
    return CaseView(
        reference=enquiry.reference,
        language=enquiry.language or enquiry.preferred_language or "en",
        enquirer_name=enquiry.name,
        enquirer_email=enquiry.email,
        enquirer_phone=enquiry.phone,
        requester_type=enquiry.understood_type or enquiry.requester_type or "worker",
        company=enquiry.company,
        topics=tuple(enquiry.topics or ("other",)),
        district=enquiry.district,
        site_name=site_name,
        subject=enquiry.subject,
        message=enquiry.message,
        status_url=f"{base}/api/v1/status/{enquiry.status_token}",
        case_url=f"{base}/cases/{enquiry.reference}",
        reasons=tuple(enquiry.reasons or ()),
        needs_interpreter=enquiry.needs_interpreter,
        manager_name=manager.name if manager else None,
    )
