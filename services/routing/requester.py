"""Whether a person or a company is asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.routing.cues import TIER_WEIGHTS, Hit
from shared.enquiry import EnquiryFields

# A company must show itself clearly: people mention their employer too, and families
# write "we" and "our".
MIN_EMPLOYER = 3.0
STRONG, MEDIUM = TIER_WEIGHTS["strong"], TIER_WEIGHTS["medium"]


@dataclass(frozen=True)
class RequesterReading:
    requester_type: str
    how: str
    evidence: tuple[Hit, ...] = ()


def read_requester(fields: EnquiryFields, hits: Iterable[Hit]) -> RequesterReading:
    if fields.requester_type:
        return RequesterReading(fields.requester_type, "given in the form")
    score = {"employer": 0.0, "worker": 0.0}
    strong = {"employer": 0.0, "worker": 0.0}
    clear = bool(fields.company)  # one cue at least says more than "we" and "our"
    evidence: dict[str, list[Hit]] = {"employer": [], "worker": []}
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        if hit.cue.kind != "requester" or (hit.cue.label, hit.cue.key) in seen:
            continue
        seen.add((hit.cue.label, hit.cue.key))
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
