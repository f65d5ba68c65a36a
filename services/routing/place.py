"""Where an enquirer lives or will work: district and site.

The form's fields come first. In the message, a town of the region counts when
its sentence says the enquirer (or their household) lives, moves or works there;
a town that is someone else's, an office's or a mere example does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.routing.cues import Cue, Hit, make_cue
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.region import Region
from shared.text import fold_name

# A postal code followed by a place name, as in an address or a signature.
_ADDRESS = re.compile(r"(?<!\d)(\d{5})\s+[^\W\d_]")
# A town named as part of an institution is not where the enquirer lives.
_INSTITUTION_BEFORE = re.compile(
    r"(?:(?:^|[^a-z])tu|(?:^|[^a-z])hbk|universit\w*|university of|hochschule|ostfalia|campus)"
    r"[\s-]*$"
)
_SENTENCE_END = re.compile(r"[.!?;:\n。！？]+\s*")

CONTEXT_SCORES = {"lives": 3, "moves": 3, "works": 2}
NOT_SELF = -4
ADDRESS_SCORE = 5
# With no address fields, a plain mention ("Hallo aus Wolfsburg") counts; when the
# fields name a place outside the region, only a clear move or job here does.
MIN_PLAIN, MIN_OVER_FIELDS = 0, 2


@dataclass(frozen=True)
class PlaceReading:
    district: str | None
    site: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    district: str
    score: int
    start: int
    words: str


def town_cues(region: Region) -> list[Cue]:
    """Cues for the region's towns as written in the region data, umlauts both ways."""
    cues: list[Cue] = []
    for folded_name, name in region.town_names.items():
        district = region.towns[folded_name]
        spellings = {name, name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")}
        marker = "|" if folded_name in region.common_words else ""
        for spelling in spellings:
            cue = make_cue(spelling + marker, "place", district, 3.0, "region")
            if cue is not None:
                cues.append(cue)
    return cues


def _sentence(folded: str, at: int) -> tuple[int, int]:
    start = 0
    for end in _SENTENCE_END.finditer(folded):
        if end.start() >= at:
            return start, end.start()
        start = end.end()
    return start, len(folded)


def _written_as_name(original: str, folded: str, hit: Hit) -> bool:
    """A common word counts as a town only capitalised and not opening a sentence."""
    if len(original) != len(folded) or not original[hit.start].isupper():
        return False
    before = original[: hit.start].rstrip()
    return bool(before) and before[-1] not in ".!?:\n"


def mentions(original: str, folded: str, hits: Sequence[Hit], region: Region) -> list[Mention]:
    found: list[Mention] = []
    for match in _ADDRESS.finditer(folded):
        district = region.district_for_postal_code(match.group(1))
        if district:
            words = f"address with postal code {match.group(1)}"
            found.append(Mention(district, ADDRESS_SCORE, match.start(), words))
    context = [h for h in hits if h.cue.kind == "context"]
    for hit in hits:
        if hit.cue.kind != "place":
            continue
        if _INSTITUTION_BEFORE.search(folded[max(0, hit.start - 24) : hit.start]):
            continue
        word = folded[hit.start : hit.end]
        if fold_name(word) in region.common_words and not _written_as_name(original, folded, hit):
            continue
        start, end = _sentence(folded, hit.start)
        labels = {c.cue.label for c in context if start <= c.start < end}
        score = max((CONTEXT_SCORES.get(label, 0) for label in labels), default=0)
        if "not_self" in labels:
            score += NOT_SELF
        source = original if len(original) == len(folded) else folded
        said = source[hit.start : hit.end]
        why = next((label for label in ("lives", "moves", "works") if label in labels), None)
        if why and "not_self" not in labels:
            said += f" ({why} there)"
        found.append(Mention(hit.cue.label, score, hit.start, said))
    return found


def _best(found: Sequence[Mention], minimum: int) -> Mention | None:
    fit = [m for m in found if m.score >= minimum]
    return max(fit, key=lambda m: (m.score, -m.start)) if fit else None


def read_place(
    fields: EnquiryFields,
    *,
    region: Region,
    directory: Directory,
    original_text: str,
    folded_text: str,
    hits: Sequence[Hit],
) -> PlaceReading:
    reasons: list[str] = []
    district = region.district_for_postal_code(fields.postal_code)
    if district:
        reasons.append(f"district {district} from postal code {fields.postal_code}")
    elif (district := region.district_for_city(fields.city)) is not None:
        reasons.append(f"district {district} from city {fields.city}")
    else:
        given = fields.postal_code or fields.city
        minimum = MIN_OVER_FIELDS if given else MIN_PLAIN
        mention = _best(mentions(original_text, folded_text, hits, region), minimum)
        if mention:
            district = mention.district
            reasons.append(f"district {district}: {mention.words} in the message")
        elif given:
            reasons.append(f"district unknown: {given} is not in the region")
        else:
            reasons.append("district unknown: no town of the region named as the enquirer's place")

    preferred = fields.preferred_site
    if preferred and directory.site(preferred) is not None:
        reasons.append(f"site {preferred} chosen by the enquirer")
        return PlaceReading(district, preferred, tuple(reasons))
    site = directory.site_of_district(district)
    if site:
        reasons.append(f"site {site} serves {district}")
    return PlaceReading(district, site, tuple(reasons))
