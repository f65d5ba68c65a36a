"""What an enquiry is about: topics from the cues found in it, primary first."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from services.routing.cues import TIER_WEIGHTS, Hit

# How the evidence is weighed; set on our own written examples, not on any test set.
SUBJECT_BOOST = 1.5  # a subject line names what the enquiry is about
ASK_BOOST = 1.0  # what people ask about counts in full; what they tell about
BACKGROUND = 0.6  # themselves ("I have B1", "I am here on a Blue Card") counts less,
BACKGROUND_STRONG = 0.8  # a strong cue a little less so
LONG_WORDS = 150  # a message this long is mostly its writer's story:
LONG_BACKGROUND = 0.6  # the story counts still less against the question
MIN_PRIMARY = 1.5  # less than one clear hint (a medium cue, asked about) is not enough: triage
MIN_SECONDARY = 4.0  # a second topic needs more than one strong cue
SECONDARY_SHARE = 0.3  # ... and a fair share of the primary topic's evidence
THIRD_SHARE = 0.7  # a third topic needs most of the primary topic's evidence
EMPLOYER_BONUS = 3.0  # a company writing is, first of all, hiring
# Asks outside the topic list (citizenship, a thesis, the press) name the topics' words as
# their requirements ("B1 for citizenship"): most of the best topic's evidence is enough.
OTHER_SHARE = 0.8
MAX_TOPICS = 3
STRONG = TIER_WEIGHTS["strong"]

# A company asking about visas, the labour market or applications asks about hiring;
# a person naming the hiring procedures (fast track, pre-approval) asks about their own work.
EMPLOYER_ABSORBS = ("labour_market", "job_application")
WORKER_ABSORBED_BY = "labour_market"


# Confidence is the primary topic's lead over the runner-up, mapped to how often a
# reading with that lead was right on our written examples (40 % with no lead, 90 % with
# a lead of 0.4, 95 % and more beyond); less than one strong cue of evidence lowers it.
CONFIDENCE_BASE = 0.4
CONFIDENCE_PER_LEAD = 1.2
FULL_EVIDENCE = 3.0
TOPIC_UNSURE = 0.6  # below: the topic is flagged for a manager to check


@dataclass(frozen=True)
class TopicReading:
    topics: tuple[str, ...]
    scores: Mapping[str, float]
    evidence: Mapping[str, tuple[Hit, ...]]  # per topic, the hits that counted, strongest first
    confidence: float = 1.0
    weakness: str = ""  # what made the reading unsure, for the reasons


def confidence(scores: Mapping[str, float], primary: str) -> tuple[float, str]:
    """How sure the primary topic is: its evidence, and its lead over the runner-up."""
    top = scores.get(primary, 0.0)
    if top <= 0:
        return 0.0, "no clear topic"
    runner, second = max(
        ((t, v) for t, v in scores.items() if t != primary), key=lambda kv: kv[1], default=("", 0.0)
    )
    lead = (top - second) / top
    sure = min(0.99, CONFIDENCE_BASE + CONFIDENCE_PER_LEAD * lead) * min(1.0, top / FULL_EVIDENCE)
    if lead < 0.3 and runner:
        return sure, f"{primary} {top:.1f} against {runner} {second:.1f}"
    return sure, f"little evidence for {primary} ({top:.1f})"


def _inside(at: int, starts: Sequence[int], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether a position falls in one of the sorted, disjoint spans."""
    i = bisect_right(starts, at) - 1
    return i >= 0 and at < spans[i][1]


def score_topics(
    subject_hits: Iterable[Hit],
    message_hits: Iterable[Hit],
    asks: Sequence[tuple[int, int]] = (),
    long: bool = False,
) -> tuple[dict[str, float], dict[str, list[Hit]]]:
    """Evidence per topic. `asks` are the spans of the message's questions and requests.

    A word counts once, for the topic its strongest cue names (a word that names
    two topics equally counts for both); a cue repeated adds nothing.
    """
    words: dict[tuple[str, int], list[tuple[float, Hit]]] = {}
    starts = [a for a, _ in asks]
    for part, hits in (("s", subject_hits), ("m", message_hits)):
        for hit in hits:
            if hit.cue.kind != "topic":
                continue
            weight = hit.cue.weight
            if part == "s":
                weight *= SUBJECT_BOOST
            elif not asks or _inside(hit.start, starts, asks):
                weight *= ASK_BOOST  # a message that asks nothing in so many words is its ask
            else:
                weight *= (BACKGROUND_STRONG if weight >= STRONG else BACKGROUND) * (
                    LONG_BACKGROUND if long else 1.0
                )
            words.setdefault((part, hit.end), []).append((weight, hit))
    seen: dict[tuple[str, str], float] = {}
    evidence: dict[str, list[Hit]] = {}
    for candidates in words.values():
        top = max(w for w, _ in candidates)
        for weight, hit in candidates:
            if weight < top:
                continue
            key = (hit.cue.label, hit.cue.key)
            if seen.get(key, 0.0) >= weight:
                continue
            seen[key] = weight
            evidence.setdefault(hit.cue.label, []).append(hit)
    scores: dict[str, float] = {}
    for (topic, _key), weight in seen.items():
        scores[topic] = scores.get(topic, 0.0) + weight
    for found in evidence.values():
        found.sort(key=lambda h: -h.cue.weight)
    return scores, evidence


def _absorb(
    scores: dict[str, float], evidence: dict[str, list[Hit]], topics: Sequence[str], into: str
) -> None:
    for topic in topics:
        if topic in scores:
            scores[into] = scores.get(into, 0.0) + scores.pop(topic)
            evidence.setdefault(into, []).extend(evidence.pop(topic, []))


def read_topics(
    subject_hits: Iterable[Hit],
    message_hits: Iterable[Hit],
    *,
    requester_type: str,
    asks: Sequence[tuple[int, int]] = (),
    long: bool = False,
) -> TopicReading:
    scores, evidence = score_topics(subject_hits, message_hits, asks, long)
    if requester_type == "employer":
        scores["employer_hiring"] = scores.get("employer_hiring", 0.0) + EMPLOYER_BONUS
        _absorb(scores, evidence, EMPLOYER_ABSORBS, "employer_hiring")
    elif "employer_hiring" in scores:
        _absorb(scores, evidence, ("employer_hiring",), WORKER_ABSORBED_BY)
    frozen = {k: tuple(v) for k, v in evidence.items()}
    other = scores.pop("other", 0.0)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_PRIMARY or other > OTHER_SHARE * ranked[0][1]:
        if other <= 0:
            return TopicReading(("other",), scores, frozen, 0.0, "no clear topic")
        sure, weakness = confidence({**scores, "other": other}, "other")
        return TopicReading(("other",), scores, frozen, sure, weakness)
    top = ranked[0][1]
    topics = [ranked[0][0]]
    for topic, score in ranked[1:]:
        if len(topics) == MAX_TOPICS:
            break
        share = SECONDARY_SHARE if len(topics) == 1 else THIRD_SHARE
        if score >= MIN_SECONDARY and score >= share * top:
            topics.append(topic)
    sure, weakness = confidence({**scores, "other": other}, topics[0])
    return TopicReading(tuple(topics), scores, frozen, sure, weakness)
