"""Cue lexicons: words and phrases that signal a topic, a requester type or a place.

Lexicons are data (`data/cues/<language>.yaml`), one file per language, all
matched at once: enquirers mix languages ("Anerkennung" in a Ukrainian message),
so a cue counts whatever the message's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import ahocorasick

from shared.text import fold
from shared.yamlfile import parse_yaml

CueKind = Literal["topic", "requester", "place", "context", "intent"]
TIER_WEIGHTS: Mapping[str, float] = {"strong": 3.0, "medium": 2.0, "weak": 1.0}


@dataclass(frozen=True, slots=True)
class Cue:
    kind: CueKind
    label: str  # topic code, requester type, district or place context
    weight: float
    key: str  # folded form looked for
    infix: bool  # may start inside a word (compounds, clitics, scripts without spaces)
    whole_word: bool  # must end at a word end
    source: str  # language file it came from
    unless: tuple[str, ...] = ()  # folded words that cancel the cue in its sentence


@dataclass(frozen=True, slots=True)
class Hit:
    cue: Cue
    start: int
    end: int  # exclusive, extended to the end of the word


def _boundless(ch: str) -> bool:
    """Scripts written without spaces between words."""
    return "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\u0e00" <= ch <= "\u0e7f"


# The rest of a word after a match; scripts without spaces have no word to finish.
_WORD_TAIL = re.compile(r"[^\W_\u3040-\u9fff\uac00-\ud7af\u0e00-\u0e7f]*")


def _opens_word(neighbour: str) -> bool:
    """Whether a match next to this character stands at a word boundary."""
    return not neighbour.isalnum() or _boundless(neighbour)


def _arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


def make_cue(
    raw: str,
    kind: CueKind,
    label: str,
    weight: float,
    source: str,
    unless: tuple[str, ...] = (),
) -> Cue | None:
    text = raw.strip()
    infix = text.startswith("*")
    whole = text.endswith("|")
    key = fold(text.strip("*|")).strip()
    if not key:
        return None
    # Arabic script glues articles and conjunctions to the word (و، ال، ب).
    infix = infix or _boundless(key[0]) or (_arabic(key[0]) and len(key) >= 4)
    return Cue(kind, label, weight, key, infix, whole, source, unless)


def _tiers(value: Any) -> Iterator[tuple[str, float]]:
    if isinstance(value, list):
        for raw in value:
            yield str(raw), TIER_WEIGHTS["medium"]
    elif isinstance(value, dict):
        for tier, items in value.items():
            weight = TIER_WEIGHTS.get(str(tier))
            if weight is None:
                raise ValueError(f"unknown tier {tier!r} (strong, medium, weak)")
            for raw in items or []:
                yield str(raw), weight


def parse_lexicon(data: Mapping[str, Any], source: str) -> list[Cue]:
    """`not_near` maps a cue, as written, to words that cancel it in its sentence."""
    cues: list[Cue] = []
    not_near = {
        str(raw): tuple(fold(str(w)) for w in words)
        for raw, words in (data.get("not_near") or {}).items()
    }
    sections: tuple[tuple[str, CueKind], ...] = (
        ("topics", "topic"),
        ("requester", "requester"),
        ("places", "place"),
        ("place_context", "context"),
        ("intent", "intent"),
    )
    for section, kind in sections:
        entries = data.get(section) or {}
        if isinstance(entries, list):  # a section that is one list of cues
            entries = {section: entries}
        for label, value in entries.items():
            if kind in ("place", "context", "intent") and isinstance(value, list):
                value = {"strong": value}
            for raw, weight in _tiers(value):
                cue = make_cue(raw, kind, str(label), weight, source, not_near.get(raw, ()))
                if cue is not None:
                    cues.append(cue)
    return cues


def shipped_lexicons() -> list[Cue]:
    folder = resources.files("services.routing").joinpath("data/cues")
    cues: list[Cue] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = parse_yaml(entry.read_text(encoding="utf-8")) or {}
            cues.extend(parse_lexicon(data, entry.name.removesuffix(".yaml")))
    return cues


class CueMatcher:
    """Finds every cue in a text in one pass (Aho-Corasick over folded text)."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        by_key: dict[str, list[Cue]] = {}
        for cue in cues:
            by_key.setdefault(cue.key, []).append(cue)
        self._automaton = ahocorasick.Automaton()
        for key, group in by_key.items():
            self._automaton.add_word(key, tuple(group))
        self._empty = not by_key
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, folded: str) -> list[Hit]:
        if self._empty:
            return []
        hits: list[Hit] = []
        size = len(folded)
        for last, group in self._automaton.iter(folded):
            start = last - len(group[0].key) + 1
            end = last + 1
            at_word_start = start == 0 or _opens_word(folded[start - 1])
            at_word_end = end == size or _opens_word(folded[end])
            word_end = -1
            for cue in group:
                if not (cue.infix or at_word_start) or (cue.whole_word and not at_word_end):
                    continue
                if word_end < 0:
                    tail = _WORD_TAIL.match(folded, end)
                    word_end = tail.end() if tail else end
                hits.append(Hit(cue, start, word_end))
        return hits


def quote(original: str, folded: str, hit: Hit) -> str:
    """The words of a hit as the enquirer wrote them, where folding kept the positions."""
    source = original if len(original) == len(folded) else folded
    word_start = hit.start
    while (
        word_start > 0
        and source[word_start - 1].isalnum()
        and not _boundless(source[word_start - 1])
    ):
        word_start -= 1
    text = source[word_start : hit.end].strip()
    return unicodedata.normalize("NFC", text)
