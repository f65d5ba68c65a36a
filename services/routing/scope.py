"""Where a cue counts: in the language it belongs to, and beside words that keep its sense.

Folding makes words of different languages alike: Turkish "iş" (work) becomes English
"is", Polish "my" (we) is English "my", Persian "من" (I) is Arabic "من" (from). A cue of
another language than the text's counts only when it is long enough to be unmistakable
and is not a common word of the text's language. German and English cues travel further:
people of every language use the German terms of their case (Anerkennung, Kita) and the
English ones (Blue Card, CV). A cue may also name words that cancel it in its sentence
("Absagen" of Kitas are no job applications).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from services.routing.cues import Cue, Hit
from services.routing.words import WordLists

TRAVELLERS = frozenset({"de", "en"})
# Shorter cues of another language are too often a word of the text's own.
MIN_FOREIGN_KEY = 5
# Cues kept whatever the language: towns, and the shared place and request cues.
_ALWAYS = frozenset({"place", "context", "intent"})
_SENTENCE_END = re.compile(r"[.!?;\n。！？؟]")


def _sentence(folded: str, at: int) -> str:
    start = at
    while start > 0 and not _SENTENCE_END.match(folded, start - 1):
        start -= 1
    end = _SENTENCE_END.search(folded, at)
    return folded[start : end.start() if end else len(folded)]


class CueScope:
    def __init__(self, words: WordLists) -> None:
        self._words = words
        self._counts: dict[tuple[str, str, str], bool] = {}

    def counts_in(self, cue: Cue, language: str) -> bool:
        """Whether a cue means what it should in a text of this language."""
        if cue.kind in _ALWAYS or cue.source == language:
            return True
        key = (cue.key, cue.source, language)
        known = self._counts.get(key)
        if known is None:
            common = self._words.common(language)
            if all(word in common for word in cue.key.split()):
                known = False
            else:
                known = cue.source in TRAVELLERS or len(cue.key.replace(" ", "")) >= MIN_FOREIGN_KEY
            self._counts[key] = known
        return known

    def keep(self, hits: Iterable[Hit], folded: str, language: str | None) -> list[Hit]:
        """The hits that count; `language` None (unsure) keeps every language's cues."""
        kept = []
        for hit in hits:
            if language is not None and not self.counts_in(hit.cue, language):
                continue
            if hit.cue.unless:
                sentence = _sentence(folded, hit.start)
                if any(word in sentence for word in hit.cue.unless):
                    continue
            kept.append(hit)
        return kept
