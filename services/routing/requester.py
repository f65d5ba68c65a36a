"""Whether a person or a company is asking."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from services.routing.cues import TIER_WEIGHTS, Cue, Hit
from shared.enquiry import EnquiryFields
from shared.text import fold
from shared.yamlfile import parse_yaml

# A company must show itself clearly: people mention their employer too, and families
# write "we" and "our".
MIN_EMPLOYER = 3.0
STRONG, MEDIUM = TIER_WEIGHTS["strong"], TIER_WEIGHTS["medium"]


@dataclass(frozen=True)
class RequesterReading:
    requester_type: str
    how: str
    evidence: tuple[Hit, ...] = ()


class StaffCount:
    """A number right before a word for staff: a business counting its people."""

    def __init__(self, words: Iterable[str]) -> None:
        nouns = sorted({fold(w).strip() for w in words if w.strip()}, key=len, reverse=True)
        alternatives = "|".join(
            re.escape(n.removesuffix("|")) + (r"\b" if n.endswith("|") else "") for n in nouns
        )
        self._pattern = re.compile(rf"(?<![\w.,])\d{{1,4}}\s?(?:{alternatives})")
        self._cue = Cue("requester", "employer", MEDIUM, "staff count", False, False, "staff")

    @classmethod
    def shipped(cls) -> StaffCount:
        path = resources.files("services.routing").joinpath("data/cues/staff.yaml")
        return cls((parse_yaml(path.read_text(encoding="utf-8")) or {}).get("staff") or [])

    def find(self, folded: str) -> list[Hit]:
        return [Hit(self._cue, m.start(), m.end()) for m in self._pattern.finditer(folded)][:1]


# "wir haben eine kleine Tischlerei", "I run a family bakery": an owner's word, then
# within this many characters of the same sentence a word for a business.
OWNERSHIP_GAP = 24
_SENTENCE_END = re.compile(r"[.!?;\n]")
_OWNS = Cue("requester", "employer", STRONG, "owns a business", False, False, "owner")


def owned_businesses(hits: Sequence[Hit], folded: str) -> list[Hit]:
    """An owner and their business, from one text's "owner" and "business" cues."""
    owners = [h for h in hits if h.cue.kind == "requester" and h.cue.label == "owner"]
    for business in hits:
        if business.cue.kind != "requester" or business.cue.label != "business":
            continue
        for owner in owners:
            gap = business.start - owner.end
            if 0 <= gap <= OWNERSHIP_GAP and not _SENTENCE_END.search(
                folded, owner.end, business.start
            ):
                return [Hit(_OWNS, owner.start, business.end)]
    return []


def read_requester(fields: EnquiryFields, hits: Iterable[Hit]) -> RequesterReading:
    if fields.requester_type:
        return RequesterReading(fields.requester_type, "given in the form")
    score = {"employer": 0.0, "worker": 0.0}
    strong = {"employer": 0.0, "worker": 0.0}
    clear = bool(fields.company)  # one cue at least says more than "we" and "our"
    evidence: dict[str, list[Hit]] = {"employer": [], "worker": []}
    seen: set[tuple[str, str]] = set()
    weak_seen: set[str] = set()
    for hit in hits:
        if hit.cue.kind != "requester" or hit.cue.label not in score:
            continue
        if (hit.cue.label, hit.cue.key) in seen:
            continue
        seen.add((hit.cue.label, hit.cue.key))
        if hit.cue.weight < MEDIUM:  # "we", "our", "I": together no more than one of them
            if hit.cue.label in weak_seen:
                continue
            weak_seen.add(hit.cue.label)
        score[hit.cue.label] = score.get(hit.cue.label, 0.0) + hit.cue.weight
        if hit.cue.weight >= STRONG:
            strong[hit.cue.label] = strong.get(hit.cue.label, 0.0) + hit.cue.weight
        clear |= hit.cue.label == "employer" and hit.cue.weight >= MEDIUM
        evidence.setdefault(hit.cue.label, []).append(hit)
    if fields.company:
        score["employer"] += MIN_EMPLOYER
    # An owner writes "I" as often as anyone: on a tie, the stronger cues decide.
    ahead = score["employer"] > score["worker"] or (
        score["employer"] == score["worker"] and strong["employer"] > strong["worker"]
    )
    if score["employer"] >= MIN_EMPLOYER and ahead and clear:
        how = "writes as a company" + (" (company given)" if fields.company else "")
        return RequesterReading("employer", how, tuple(evidence["employer"]))
    return RequesterReading("worker", "writes as a person", tuple(evidence["worker"]))
