"""Where an enquirer lives or will work: district and site."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.routing.cues import Cue, Hit, make_cue
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.region import Region

# A postal code followed by a place name, as in an address or a signature.
_ADDRESS = re.compile(r"(?<!\d)(\d{5})\s+[^\W\d_]")

# A town named as part of an institution is not where the enquirer lives.
_INSTITUTION_BEFORE = re.compile(
    r"(?:\btu|\bhbk|universit\w*|university of|hochschule|ostfalia|campus)\s*$"
)


@dataclass(frozen=True)
class PlaceReading:
    district: str | None
    site: str | None
    reasons: tuple[str, ...]


def town_cues(region: Region) -> list[Cue]:
    """Cues for the region's towns as written in the region data, umlauts both ways."""
    cues: list[Cue] = []
    for name in region.town_names.values():
        district = region.district_for_city(name)
        if district is None:
            continue
        spellings = {name, name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")}
        for spelling in spellings:
            cue = make_cue(spelling, "place", district, 3.0, "region")
            if cue is not None:
                cues.append(cue)
    return cues


def _district_in_text(folded: str, hits: Sequence[Hit], region: Region) -> tuple[str, str] | None:
    for match in _ADDRESS.finditer(folded):
        district = region.district_for_postal_code(match.group(1))
        if district:
            return district, f"address with postal code {match.group(1)} in the message"
    for hit in sorted(hits, key=lambda h: h.start):
        if _INSTITUTION_BEFORE.search(folded[max(0, hit.start - 24) : hit.start]):
            continue
        return hit.cue.label, f"names {folded[hit.start : hit.end]} in the message"
    return None


def read_place(
    fields: EnquiryFields,
    *,
    region: Region,
    directory: Directory,
    folded_text: str,
    place_hits: Iterable[Hit],
) -> PlaceReading:
    reasons: list[str] = []
    district = region.district_for_postal_code(fields.postal_code)
    if district:
        reasons.append(f"district {district} from postal code {fields.postal_code}")
    elif (district := region.district_for_city(fields.city)) is not None:
        reasons.append(f"district {district} from city {fields.city}")
    elif fields.postal_code or fields.city:
        given = fields.postal_code or fields.city
        reasons.append(f"district unknown: {given} is not in the region")
    else:
        found = _district_in_text(folded_text, list(place_hits), region)
        if found:
            district = found[0]
            reasons.append(f"district {district}: {found[1]}")
        else:
            reasons.append("district unknown: no town of the region named")

    preferred = fields.preferred_site
    if preferred and directory.site(preferred) is not None:
        reasons.append(f"site {preferred} chosen by the enquirer")
        return PlaceReading(district, preferred, tuple(reasons))
    site = directory.site_of_district(district)
    if site:
        reasons.append(f"site {site} serves {district}")
    return PlaceReading(district, site, tuple(reasons))
