"""Common words per language (`data/languages/words.yaml`): votes for the languages of a text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from shared.text import fold
from shared.yamlfile import parse_yaml

# Words, with an apostrophe inside ("j'ai", "don't") and digits (Arabizi "3andi", "la2").
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
LATIN_TAG = "-latn"


def tokens(folded: str) -> list[str]:
    return _WORD.findall(folded)


def spoken(tag: str) -> str:
    """The language a tag names: 'ru-latn' is Russian written in Latin letters."""
    return tag.removesuffix(LATIN_TAG)


@dataclass(frozen=True)
class Votes:
    by_tag: Mapping[str, float]

    def get(self, tag: str) -> float:
        return self.by_tag.get(tag, 0.0)

    def best(self, among: Iterable[str]) -> tuple[str | None, float]:
        top, score = None, 0.0
        for tag in among:
            value = self.by_tag.get(tag, 0.0)
            if value > score:
                top, score = tag, value
        return top, score


class WordLists:
    """Each word votes for the languages that list it, split evenly among them."""

    def __init__(self, words: Mapping[str, str], variants: Mapping[str, str]) -> None:
        index: dict[str, set[str]] = {}
        by_tag: dict[str, frozenset[str]] = {}
        for tag, text in words.items():
            by_tag[tag] = frozenset(fold(text).split())
            for word in by_tag[tag]:
                index.setdefault(word, set()).add(tag)
        self._by_tag = by_tag
        self._index = {w: (tuple(sorted(tags)), 1.0 / len(tags)) for w, tags in index.items()}
        self.tags = frozenset(words)
        self._variants = {tag: frozenset(fold(text).split()) for tag, text in variants.items()}

    @classmethod
    def shipped(cls) -> WordLists:
        path = resources.files("services.routing").joinpath("data/languages/words.yaml")
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
        return cls(data["words"], data.get("variants") or {})

    def common(self, tag: str) -> frozenset[str]:
        """A language's common words (none for a language without a list)."""
        return self._by_tag.get(tag, frozenset())

    def votes(self, words: Iterable[str]) -> Votes:
        by_tag: dict[str, float] = {}
        for word in words:
            found = self._index.get(word)
            if found is None:
                continue
            tags, share = found
            for tag in tags:
                by_tag[tag] = by_tag.get(tag, 0.0) + share
        return Votes(by_tag)

    def variant(self, words: Iterable[str], among: Iterable[str]) -> str | None:
        """Which of closely related languages (Croatian, Serbian, Bosnian) the words favour."""
        seen = set(words)
        counts = {tag: len(seen & self._variants.get(tag, frozenset())) for tag in among}
        best = max(counts.values(), default=0)
        if best == 0:
            return None
        leaders = [tag for tag, n in counts.items() if n == best]
        return leaders[0] if len(leaders) == 1 else None
