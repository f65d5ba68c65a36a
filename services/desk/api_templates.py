"""The reply templates in the staff API: what the reply form offers, for tools. The same
service function as the case page's template choice."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.desk.api import case_error_response
from services.desk.cases.errors import CaseError, InvalidInputError
from services.desk.deps import CurrentStaff, DeskSession
from services.desk.reply_templates.offer import offered_templates

router = APIRouter(prefix="/api/v1", tags=["staff"])


class TemplateOffer(BaseModel):
    key: str
    languages: list[str]  # ["uk"], or ["en", "de"]: both texts together
    title: str
    text: str  # filled in for the case, when one was named


class TemplateOffers(BaseModel):
    language: str | None
    case: str | None
    templates: list[TemplateOffer]


@router.get(
    "/reply-templates",
    response_model=TemplateOffers,
    responses={
        401: {"description": "not signed in, or not a valid manager's token"},
        404: {"description": "no such case, or not the caller's to see"},
        422: {"description": "a language that is not one of the region's"},
    },
)
def reply_templates(
    staff: CurrentStaff,
    session: DeskSession,
    language: Annotated[str | None, Query(max_length=8)] = None,
    case: Annotated[str | None, Query(max_length=32)] = None,
) -> Any:
    """The templates the reply form offers: in `language` (default: the case's) first;
    where a template has no variant in it, its English and German texts together. With
    `case`, each text has the case's details filled in ({name}, {reference}, {manager},
    {site})."""
    try:
        offered = offered_templates(
            session, staff=staff, language=language or None, reference=case or None
        )
    except InvalidInputError as exc:
        detail = [{"loc": ["query", exc.field], "msg": exc.message, "type": "value_error"}]
        return JSONResponse({"detail": detail}, status_code=422)
    except CaseError as exc:
        return case_error_response(exc)
    return TemplateOffers(
        language=offered.language,
        case=offered.reference,
        templates=[
            TemplateOffer(key=o.key, languages=list(o.languages), title=o.title, text=o.text)
            for o in offered.offers
        ],
    )
