"""Text folding shared by every matcher: case, accents and script variants made alike.

Folding keeps one character per character wherever it can, so that a position
in the folded text is a position in the original, and a cue found in folded
text can be quoted as the enquirer wrote it.
"""

import re
import unicodedata
from functools import cache

# Blocks whose letters carry accents or variants worth folding.
_RANGES = (
    (0x00C0, 0x024F),  # Latin-1 Supplement, Latin Extended-A/B
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x0600, 0x06FF),  # Arabic, Persian
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # general punctuation: odd spaces and dashes
)

# Arabic-script letters written in several ways by the same people.
_ARABIC = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    "ۀ": "ه",
    "ؤ": "و",
    "ئ": "ي",
    "ـ": None,  # tatweel: stretching only
}


@cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for start, end in _RANGES:
        for cp in range(start, end + 1):
            ch = chr(cp)
            if unicodedata.combining(ch):
                table[cp] = None
                continue
            if unicodedata.category(ch) == "Zs":
                table[cp] = " "
                continue
            if unicodedata.category(ch) == "Pd":
                table[cp] = "-"
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if base and base != ch and len(base) == 1:
                table[cp] = base
    for src, dst in _ARABIC.items():
        table[ord(src)] = dst
    for ch in "\t\n\r\v\f\u00a0":
        table[ord(ch)] = " "
    table[ord("ß")] = "ss"
    table[ord("ı")] = "i"  # Turkish dotless i, often typed as i
    table[ord("ł")] = "l"
    table[ord("đ")] = "d"
    table[ord("ø")] = "o"
    table[ord("’")] = "'"
    return table


def fold(text: str) -> str:
    """Lower-case, accent-free, script-unified text for matching."""
    return text.lower().translate(_table())


_SPACES = re.compile(r"\s+")


def fold_name(text: str) -> str:
    """A place or person name folded for lookup: umlauts as ae/oe/ue count as the plain vowel."""
    text = text.lower()
    for umlaut, digraph in (("ä", "a"), ("ö", "o"), ("ü", "u")):
        text = text.replace(umlaut, digraph)
    for digraph, plain in (("ae", "a"), ("oe", "o"), ("ue", "u")):
        text = text.replace(digraph, plain)
    return _SPACES.sub(" ", fold(text)).strip()
