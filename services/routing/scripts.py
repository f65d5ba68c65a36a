"""Which writing systems a text uses, and the languages a script settles on its own."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

# Blocks by first code point; a letter belongs to the last block starting at or before it.
_BLOCKS: tuple[tuple[int, str], ...] = (
    (0x0000, "latin"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "armenian"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0700, "other"),
    (0x0750, "arabic"),  # Arabic Supplement
    (0x0780, "other"),
    (0x0900, "devanagari"),
    (0x0980, "bengali"),
    (0x0A00, "gurmukhi"),
    (0x0A80, "gujarati"),
    (0x0B00, "other"),
    (0x0B80, "tamil"),
    (0x0C00, "telugu"),
    (0x0C80, "other"),
    (0x0E00, "thai"),
    (0x0E80, "other"),
    (0x10A0, "georgian"),
    (0x1100, "hangul"),
    (0x1200, "ethiopic"),
    (0x13A0, "other"),
    (0x1E00, "latin"),  # Latin Extended Additional (Vietnamese)
    (0x1F00, "greek"),
    (0x2000, "other"),
    (0x3040, "kana"),
    (0x3100, "other"),
    (0x3400, "han"),
    (0xA000, "other"),
    (0xAC00, "hangul"),
    (0xD7B0, "other"),
    (0xF900, "han"),
    (0xFB00, "other"),
    (0xFB50, "arabic"),  # presentation forms
    (0xFE00, "other"),
    (0xFE70, "arabic"),
    (0xFF00, "other"),
)
_STARTS = [start for start, _ in _BLOCKS]

# A script used by one language only (among those an enquirer here may write).
SCRIPT_LANGUAGE = {
    "greek": "el",
    "armenian": "hy",
    "hebrew": "he",
    "devanagari": "hi",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "thai": "th",
    "georgian": "ka",
    "hangul": "ko",
    "kana": "ja",
    "han": "zh",
}

# Han characters each carry a word: a third of the letters is enough to call a text Chinese.
HAN_SHARE = 0.3

_LETTER = re.compile(r"[^\W\d_]")
_OTHER_LETTER = re.compile(r"[^\W\d_\x00-\u024f\u1e00-\u1eff]")


@dataclass(frozen=True)
class Census:
    letters: int
    counts: dict[str, int]

    @property
    def main(self) -> str | None:
        """The script most letters are written in; Chinese wins with a third of them."""
        if not self.letters:
            return None
        if self.counts.get("han", 0) + self.counts.get("kana", 0) >= HAN_SHARE * self.letters:
            return "kana" if self.counts.get("kana", 0) > self.counts.get("han", 0) // 4 else "han"
        return max(self.counts.items(), key=lambda kv: kv[1])[0]


def script_of(ch: str) -> str:
    return _BLOCKS[bisect_right(_STARTS, ord(ch)) - 1][1]


def census(text: str) -> Census:
    letters = len(_LETTER.findall(text))
    other = _OTHER_LETTER.findall(text)
    counts: dict[str, int] = {"latin": letters - len(other)} if letters > len(other) else {}
    for ch, n in Counter(other).items():  # a few dozen distinct letters, however long the text
        script = script_of(ch)
        counts[script] = counts.get(script, 0) + n
    return Census(letters, counts)
