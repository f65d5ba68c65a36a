"""Partners suggested again for a case whose understanding staff corrected: the same
code as a routing decision, from the corrected language, requester type and topics."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.routing.engine import RoutingEngine
from shared.db.models import EnquiryRow


def refresh_suggestions(session: Session, *, enquiry_id: int, engine: RoutingEngine) -> list[str]:
    """Stores and returns the partners now suggested; refers nobody (that stays a person's
    decision, or the first decision's)."""
    case = session.scalar(select(EnquiryRow).where(EnquiryRow.id == enquiry_id).with_for_update())
    if case is None:
        raise LookupError(f"enquiry {enquiry_id} does not exist")
    suggestion = engine.partners.suggest(
        topics=list(case.topics or ("other",)),
        requester_type=case.understood_type or case.requester_type or "worker",
        district=case.district,
        language=case.language or "de",
        consent_referral=False,
    )
    chosen = [p.id for p in suggestion.partners]
    case.suggested_partners = chosen
    return chosen
