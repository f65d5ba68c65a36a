"""Understanding an enquiry: language, requester type, topics, district and site."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from services.routing.cues import Cue, CueMatcher, Hit, quote, shipped_lexicons
from services.routing.language import LanguageIdentifier, LanguageReading
from services.routing.place import read_place, town_cues
from services.routing.requester import StaffCount, owned_businesses, read_requester
from services.routing.scope import CueScope
from services.routing.topics import LONG_WORDS, TOPIC_UNSURE, read_topics
from services.routing.words import WordLists
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.region import Region
from shared.text import fold
from shared.vocabulary import TOPIC_LABELS

MAX_QUOTED_CUES = 4
_SENTENCE = re.compile(r"[^.!?;\n。！？؟]+[.!?;\n。！？؟]*")
_QUESTION_MARKS = frozenset("?？؟")


def ask_spans(text: str, hits: Iterable[Hit]) -> list[tuple[int, int]]:
    """Where the text asks for something: questions, and sentences with a request cue."""
    wishes = sorted(h.start for h in hits if h.cue.kind == "intent")
    spans = []
    for m in _SENTENCE.finditer(text):
        start, end = m.span()
        if _QUESTION_MARKS.intersection(m.group(0)[-3:]) or any(start <= at < end for at in wishes):
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class Understanding:
    language: str
    requester_type: str
    topics: tuple[str, ...]
    district: str | None
    site: str | None
    reasons: tuple[str, ...]
    # How sure the reading is, 0 to 1, and which readings fall below their threshold
    # ("language", "topic"): a manager should check those.
    language_confidence: float = 1.0
    topic_confidence: float = 1.0
    unsure: tuple[str, ...] = ()

    @property
    def primary_topic(self) -> str:
        return self.topics[0]


def _language_reason(reading: LanguageReading) -> str:
    if reading.unsure:
        return (
            f"language {reading.code} unsure ({reading.confidence:.2f}): {reading.note or 'weak'}"
        )
    detail = f"{reading.how}; {reading.note}" if reading.note else reading.how
    return f"language {reading.code} ({detail})"


def _quoted(hits: Sequence[Hit], texts: Callable[[Hit], tuple[str, str]]) -> str:
    """The cues' words as written; `texts` gives a hit's original and folded text."""
    words: list[str] = []
    for hit in hits:
        word = quote(*texts(hit), hit)
        low = word.lower()
        if not word or any(low in w.lower() for w in words):
            continue
        words = [w for w in words if w.lower() not in low]  # "Wir" gives way to "Wir sind"
        words.append(word)
        if len(words) == MAX_QUOTED_CUES:
            break
    return ", ".join(words)


class Reader:
    """Reads enquiries; built once per process, shared by every decision."""

    def __init__(
        self,
        *,
        region: Region,
        directory: Directory,
        lexicon: Iterable[Cue] | None = None,
        languages: LanguageIdentifier | None = None,
    ) -> None:
        self._region = region
        self._directory = directory
        cues = list(shipped_lexicons() if lexicon is None else lexicon)
        self._matcher = CueMatcher([*cues, *town_cues(region)])
        words = WordLists.shipped()
        self._languages = languages or LanguageIdentifier(words)
        self._scope = CueScope(words)
        self._staff = StaffCount.shipped()

    def warm_up(self) -> None:
        self._languages.warm_up()

    def read(self, fields: EnquiryFields) -> Understanding:
        subject = fields.subject or ""
        message = fields.message
        folded_subject, folded_message = fold(subject), fold(message)
        short = len(message) < 120 and subject
        text = f"{subject}\n{message}" if short else message
        folded_text = f"{folded_subject} {folded_message}" if short else folded_message
        # The written language decides which cues count, even where another is declared.
        written = self._languages.detect(text, folded=folded_text)
        declared = fields.declared_language
        language = self._languages.detect(text, declared) if declared else written
        scope = None if written.unsure else written.code
        subject_hits = self._scope.keep(self._matcher.find(folded_subject), folded_subject, scope)
        message_hits = self._scope.keep(self._matcher.find(folded_message), folded_message, scope)
        reasons: list[str] = [_language_reason(language)]
        owned_in_subject = owned_businesses(subject_hits, folded_subject)
        in_subject = {id(hit) for hit in [*subject_hits, *owned_in_subject]}

        def texts(hit: Hit) -> tuple[str, str]:
            return (subject, folded_subject) if id(hit) in in_subject else (message, folded_message)

        people = [
            *owned_in_subject,
            *owned_businesses(message_hits, folded_message),
            *self._staff.find(folded_message),
        ]
        requester = read_requester(fields, [*subject_hits, *message_hits, *people])
        said = ""
        if requester.evidence:
            said = ": " + _quoted(requester.evidence, texts)
        reasons.append(f"{requester.requester_type}, {requester.how}{said}")

        topics = read_topics(
            subject_hits,
            message_hits,
            requester_type=requester.requester_type,
            asks=ask_spans(folded_message, message_hits),
            long=folded_message.count(" ") >= LONG_WORDS,
        )
        for topic in topics.topics:
            hits = topics.evidence.get(topic, ())
            if hits:
                reasons.append(f"topic {topic}: mentions {_quoted(hits, texts)}")
            elif topic == "other":
                reasons.append("topic other: no clear topic, for triage")
            else:
                reasons.append(f"topic {topic}: {TOPIC_LABELS[topic]}, as a company writes")
        unsure = ["language"] if language.unsure else []
        if topics.confidence < TOPIC_UNSURE:
            unsure.append("topic")
            reasons.append(f"topic unsure ({topics.confidence:.2f}): {topics.weakness}")

        place = read_place(
            fields,
            region=self._region,
            directory=self._directory,
            original_text=message,
            folded_text=folded_message,
            hits=message_hits,
        )
        reasons.extend(place.reasons)
        return Understanding(
            language=language.code,
            requester_type=requester.requester_type,
            topics=topics.topics,
            district=place.district,
            site=place.site,
            reasons=tuple(reasons),
            language_confidence=round(language.confidence, 2),
            topic_confidence=round(topics.confidence, 2),
            unsure=tuple(unsure),
        )
