"""What an enquiry is about: topics from the cues found in it, primary first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from services.routing.cues import Hit

# How the evidence is weighed; set from our own written examples, not from any test set.
SUBJECT_BOOST = 1.5  # a subject line names what the enquiry is about
QUESTION_BOOST = 1.3  # what people ask about weighs more than their background
MIN_PRIMARY = 2.0  # less than one clear hint is not enough to tell: triage ("other")
MIN_SECONDARY = 3.0  # a second topic needs one strong cue or two clear ones
SECONDARY_SHARE = 0.4  # ... and a fair share of the primary topic's evidence
EMPLOYER_BONUS = 3.0  # a company writing is, first of all, hiring
MAX_TOPICS = 3


@dataclass(frozen=True)
class TopicReading:
    topics: tuple[str, ...]
    scores: Mapping[str, float]
    evidence: Mapping[str, tuple[Hit, ...]]  # per topic, the hits that counted, strongest first


def score_topics(
    subject_hits: Iterable[Hit],
    message_hits: Iterable[Hit],
    questions: Sequence[tuple[int, int]] = (),
) -> tuple[dict[str, float], dict[str, list[Hit]]]:
    """Evidence per topic: each word counts once, with its strongest cue.

    `questions` are the spans of the message's questions.
    """
    best: dict[tuple[str, str, int], tuple[float, Hit]] = {}
    for part, hits, boost in (("s", subject_hits, SUBJECT_BOOST), ("m", message_hits, 1.0)):
        for hit in hits:
            if hit.cue.kind != "topic":
                continue
            slot = (hit.cue.label, part, hit.start)
            weight = hit.cue.weight * boost
            if part == "m" and any(a <= hit.start < b for a, b in questions):
                weight *= QUESTION_BOOST
            if slot not in best or best[slot][0] < weight:
                best[slot] = (weight, hit)
    # The same cue repeated adds nothing beyond its first mention.
    seen: dict[tuple[str, str], float] = {}
    evidence: dict[str, list[Hit]] = {}
    for (topic, _part, _start), (weight, hit) in best.items():
        key = (topic, hit.cue.key)
        if seen.get(key, 0.0) >= weight:
            continue
        seen[key] = weight
        evidence.setdefault(topic, []).append(hit)
    scores: dict[str, float] = {}
    for (topic, _key), weight in seen.items():
        scores[topic] = scores.get(topic, 0.0) + weight
    for hits in evidence.values():
        hits.sort(key=lambda h: -h.cue.weight)
    return scores, evidence


def read_topics(
    subject_hits: Iterable[Hit],
    message_hits: Iterable[Hit],
    *,
    requester_type: str,
    questions: Sequence[tuple[int, int]] = (),
) -> TopicReading:
    scores, evidence = score_topics(subject_hits, message_hits, questions)
    if requester_type == "employer":
        scores["employer_hiring"] = scores.get("employer_hiring", 0.0) + EMPLOYER_BONUS
    other = scores.pop("other", 0.0)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MIN_PRIMARY or other > ranked[0][1]:
        return TopicReading(("other",), scores, {k: tuple(v) for k, v in evidence.items()})
    top = ranked[0][1]
    topics = [ranked[0][0]]
    for topic, score in ranked[1:]:
        if len(topics) == MAX_TOPICS:
            break
        if score >= MIN_SECONDARY and score >= SECONDARY_SHARE * top:
            topics.append(topic)
    return TopicReading(tuple(topics), scores, {k: tuple(v) for k, v in evidence.items()})
