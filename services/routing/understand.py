"""Understanding an enquiry: language, requester type, topics, district and site."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from services.routing.cues import Cue, CueMatcher, Hit, quote, shipped_lexicons
from services.routing.language import LanguageIdentifier
from services.routing.place import read_place, town_cues
from services.routing.requester import read_requester
from services.routing.topics import read_topics
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

    @property
    def primary_topic(self) -> str:
        return self.topics[0]


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
        self._languages = languages or LanguageIdentifier()

    def warm_up(self) -> None:
        self._languages.warm_up()

    def read(self, fields: EnquiryFields) -> Understanding:
        subject = fields.subject or ""
        message = fields.message
        folded_subject, folded_message = fold(subject), fold(message)
        subject_hits = self._matcher.find(folded_subject)
        message_hits = self._matcher.find(folded_message)
        reasons: list[str] = []
        in_subject = {id(hit) for hit in subject_hits}

        def texts(hit: Hit) -> tuple[str, str]:
            return (subject, folded_subject) if id(hit) in in_subject else (message, folded_message)

        text = message if len(message) >= 120 or not subject else f"{subject}\n{message}"
        language = self._languages.detect(text, fields.declared_language)
        reasons.append(f"language {language.code} ({language.how})")

        requester = read_requester(fields, [*subject_hits, *message_hits])
        said = ""
        if requester.evidence:
            said = ": " + _quoted(requester.evidence, texts)
        reasons.append(f"{requester.requester_type}, {requester.how}{said}")

        topics = read_topics(
            subject_hits,
            message_hits,
            requester_type=requester.requester_type,
            asks=ask_spans(folded_message, message_hits),
        )
        for topic in topics.topics:
            hits = topics.evidence.get(topic, ())
            if hits:
                reasons.append(f"topic {topic}: mentions {_quoted(hits, texts)}")
            elif topic == "other":
                reasons.append("topic other: no clear topic, for triage")
            else:
                reasons.append(f"topic {topic}: {TOPIC_LABELS[topic]}, as a company writes")

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
        )
