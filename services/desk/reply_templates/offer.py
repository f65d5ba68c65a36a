"""Which templates the reply form offers for a case, filled in for it: the case's language
first; where a template has no variant in it, English and German together in one text (an
enquirer who writes in another language reads one of them more often than not)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from services.desk.cases.access import find_case
from services.desk.cases.errors import InvalidInputError
from services.desk.reply_templates.placeholders import fill
from services.desk.reply_templates.store import ReplyTemplate, list_templates
from services.desk.staff import Staff
from shared.db.models import EnquiryRow, SiteRow
from shared.vocabulary import REGION_LANGUAGES

FALLBACK: Final = ("en", "de")
BETWEEN: Final = "\n\n---\n\n"  # between the English and the German text


@dataclass(frozen=True)
class Offer:
    key: str
    languages: tuple[str, ...]  # ("uk",), or ("en", "de") for both together
    title: str
    text: str


@dataclass(frozen=True)
class Offered:
    language: str | None  # the case's language, or the one asked for
    reference: str | None  # the case the texts are filled in for, if any
    offers: list[Offer]

    @property
    def in_language(self) -> list[Offer]:
        return [o for o in self.offers if o.languages == (self.language,)]

    @property
    def fallback(self) -> list[Offer]:
        return [o for o in self.offers if o.languages != (self.language,)]

    def chosen(self, key: str | None) -> Offer | None:
        return next((o for o in self.offers if o.key == key), None) if key else None


def choose(
    templates: Iterable[ReplyTemplate], language: str | None, values: Mapping[str, str]
) -> list[Offer]:
    """One offer per template, those in `language` first, each filled with `values`
    (without values the placeholders stay, as written)."""

    def text(raw: str) -> str:
        return fill(raw, values) if values else raw

    first, then = [], []
    for template in templates:
        if language is not None and language in template.variants:
            variant = template.variants[language]
            first.append(Offer(template.key, (language,), variant.title, text(variant.text)))
            continue
        codes = tuple(c for c in FALLBACK if c in template.variants)
        if not codes:
            continue  # only in other languages: nothing an enquirer of this case reads
        variants = [template.variants[c] for c in codes]
        then.append(
            Offer(
                template.key,
                codes,
                " / ".join(v.title for v in variants),
                BETWEEN.join(text(v.text) for v in variants),
            )
        )
    return first + then


def _values(session: Session, case: EnquiryRow, staff: Staff) -> dict[str, str]:
    # The site of the person answering: a manager may advise an enquirer of another site.
    site = session.get(SiteRow, staff.site or case.site or "")
    return {
        "name": (case.name or "").strip(),
        "reference": str(case.reference),
        # The person answering signs: a manager's name; an administrator has none here.
        "manager": staff.name if staff.manager_id else "",
        "site": site.name if site else "",
    }


def offered_templates(
    session: Session, *, staff: Staff, language: str | None = None, reference: str | None = None
) -> Offered:
    """What the reply form offers: for a case (its language, its details filled in), or
    for a language; a case the caller may not see is not found."""
    if language is not None and language not in REGION_LANGUAGES:
        raise InvalidInputError(f"language: one of {', '.join(REGION_LANGUAGES)}", field="language")
    values: dict[str, str] = {}
    if reference is not None:
        case = find_case(session, staff, reference)
        language = language or case.language or case.preferred_language
        values = _values(session, case, staff)
        reference = str(case.reference)
    offers = choose(list_templates(session), language, values)
    return Offered(language, reference, offers)
