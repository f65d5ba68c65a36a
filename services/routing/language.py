"""Which language an enquiry is written in, and how sure that reading is.

A declared language wins. Otherwise the script settles many languages alone (Greek,
Chinese, Hindi...); common words notice what letter statistics cannot (a language
outside the region's seventeen, Russian or Arabic written in Latin letters, a text of
three words); lingua, limited to the region's languages, decides between the rest, and
lingua with all its languages names a language from outside the region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from services.routing.scripts import SCRIPT_LANGUAGE, Census, census
from services.routing.words import LATIN_TAG, Votes, WordLists, spoken, tokens
from shared.text import fold
from shared.vocabulary import REGION_LANGUAGES

# Long messages say what language they are in within their first lines; reading
# more only costs time.
SAMPLE_CHARS = 400
# Below this confidence the language is not claimed: the reading falls back.
UNSURE = 0.5
# Letters and common words that make a text long enough to judge in full.
FULL_LETTERS = 60
FULL_WORDS = 3.0
# A foreign or transliterated language must beat the region's languages by this much.
FOREIGN_MARGIN = 1.3
MIN_FOREIGN_WORDS = 2.0
# Common words that settle a region language without lingua (and faster).
DECISIVE_WORDS = 4.0
DECISIVE_RATIO = 3.0

REGION = frozenset(REGION_LANGUAGES)
# Each script's most likely language when a text is too short to tell.
SCRIPT_FALLBACK = {**SCRIPT_LANGUAGE, "cyrillic": "ru", "arabic": "ar", "ethiopic": "ti"}
# When nothing tells: the centre answers in German and English.
FALLBACK = ("en", "de")

_LATIN_REGION = ("de", "en", "fr", "es", "pt", "it", "pl", "ro", "tr", "vi")
_CYRILLIC_REGION = ("ru", "uk", "bg")
_ARABIC_REGION = ("ar", "fa")
_YUGOSLAV = ("hr", "sr", "bs")

# Letters no region language writes: a hint of Hungarian, Albanian, Czech, Croatian...
_FOREIGN_LATIN = frozenset("őűëčšžěřůľĺŕåøæāēīūķļņģėįų")
_FOREIGN_CYRILLIC = frozenset("ђћџјљњѓќѕўәғқңөұүһ")
_URDU = frozenset("ٹڈڑںےہھ")
_SORANI = frozenset("ڕڵۆێە")
_PASHTO = frozenset("ټډړږښځڅګڼۍې")  # lingua does not know Pashto; its letters do
# Tigrinya writes ኣ where Amharic writes አ.
_TIGRINYA_A, _AMHARIC_A = "ኣ", "አ"
_DIGIT_IN_WORD = re.compile(r"[a-z][23579]|[23579][a-z]")


@dataclass(frozen=True)
class LanguageReading:
    code: str
    how: str  # "declared", "detected", "words", "script" or "fallback"
    confidence: float
    note: str = ""  # what kind of reading: outside the region, in Latin letters...

    @property
    def unsure(self) -> bool:
        return self.confidence < UNSURE


def _languages(codes: tuple[str, ...]) -> list[Language]:
    return [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]


def _arabizi(folded: str, words: list[str]) -> int:
    """Words that write Arabic sounds with digits: "3andi", "7abibi", "la2"."""
    if not _DIGIT_IN_WORD.search(folded):
        return 0
    return sum(1 for w in words if _DIGIT_IN_WORD.search(w))


class LanguageIdentifier:
    """Built once per process; lingua's models load on first use."""

    def __init__(self, words: WordLists | None = None) -> None:
        self._words = words or WordLists.shipped()
        tags = self._words.tags
        self._translit = tuple(sorted(t for t in tags if t.endswith(LATIN_TAG)))
        self._foreign = tuple(sorted(tags - REGION - set(self._translit)))

    @cached_property
    def _region(self) -> LanguageDetector:
        # Low-accuracy mode (trigrams): as right as the full models on our written
        # examples from 80 characters on, at a tenth of the memory (40 MB, not 390).
        return (
            LanguageDetectorBuilder.from_languages(*_languages(REGION_LANGUAGES))
            .with_low_accuracy_mode()
            .build()
        )

    @cached_property
    def _wide(self) -> LanguageDetector:
        # Only texts that look foreign reach it; a script's models load when first needed.
        return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

    def warm_up(self) -> None:
        """Loads the region's models now rather than during the first enquiries."""
        for language in _languages(REGION_LANGUAGES):
            self._region.compute_language_confidence("warm up", language)

    def detect(
        self, text: str, declared: str | None = None, folded: str | None = None
    ) -> LanguageReading:
        """`folded` is `fold(text)` where the caller has it already."""
        if declared:
            return LanguageReading(declared, "declared", 1.0)
        sample = text[:SAMPLE_CHARS]
        letters = census(sample)
        script = letters.main
        if script is None:
            return self._fallback(None, None, Votes({}))
        folded_sample = (folded if folded is not None else fold(text))[:SAMPLE_CHARS]
        words = tokens(folded_sample)
        votes = self._words.votes(words)
        if script == "latin":
            reading = self._latin(sample, folded_sample, words, votes, letters)
        elif script == "cyrillic":
            reading = self._lingua(
                sample, words, votes, letters, _CYRILLIC_REGION, _FOREIGN_CYRILLIC
            )
        elif script == "arabic":
            reading = self._arabic(sample, words, votes, letters)
        elif script == "ethiopic":
            amharic = sample.count(_AMHARIC_A) > sample.count(_TIGRINYA_A)
            reading = LanguageReading("am" if amharic else "ti", "script", 0.0, "")
        else:
            reading = LanguageReading(SCRIPT_FALLBACK.get(script, "en"), "script", 0.0)
        if reading.how == "script":
            reading = LanguageReading(
                reading.code, "script", min(1.0, letters.counts.get(script, 0) / 12), reading.note
            )
        if reading.unsure:
            return self._fallback(reading, script, votes)
        if reading.code not in REGION and not reading.note:
            reading = LanguageReading(
                reading.code, reading.how, reading.confidence, "outside the region's languages"
            )
        return reading

    @staticmethod
    def _fallback(
        weak: LanguageReading | None, script: str | None, votes: Votes
    ) -> LanguageReading:
        """Too little to tell: the best guess within the script, else German and English."""
        confidence = weak.confidence if weak else 0.0
        if script in SCRIPT_FALLBACK:
            code = weak.code if weak else SCRIPT_FALLBACK[script]
            return LanguageReading(code, "script", confidence, "too little text to be sure")
        by_words, _ = votes.best(FALLBACK)
        guess = weak.code if weak and weak.code in FALLBACK else FALLBACK[0]
        note = "too little text: German and English"
        return LanguageReading(by_words or guess, "fallback", confidence, note)

    @staticmethod
    def _strength(letters: Census, votes: Votes, code: str) -> float:
        """How far a text is long enough, by letters or by the words it shares with `code`."""
        by_letters = letters.letters / FULL_LETTERS
        by_words = votes.get(code) / FULL_WORDS
        return min(1.0, max(by_letters, by_words))

    def _latin(
        self, sample: str, folded: str, words: list[str], votes: Votes, letters: Census
    ) -> LanguageReading:
        _, region_votes = votes.best(_LATIN_REGION)
        arabizi = _arabizi(folded, words)
        if arabizi:
            votes = Votes({**votes.by_tag, "ar-latn": votes.get("ar-latn") + arabizi})
        tag, score = votes.best(self._translit)
        if tag and score >= MIN_FOREIGN_WORDS and score > FOREIGN_MARGIN * region_votes:
            confidence = min(1.0, (score - region_votes) / FULL_WORDS)
            return LanguageReading(spoken(tag), "words", confidence, "written in Latin letters")
        # Kurdish: lingua does not know it, its words do.
        kurdish = votes.get("ku")
        if kurdish >= MIN_FOREIGN_WORDS and kurdish > FOREIGN_MARGIN * region_votes:
            return LanguageReading("ku", "words", min(1.0, kurdish / (2 * FULL_WORDS)))
        return self._lingua(sample, words, votes, letters, _LATIN_REGION, _FOREIGN_LATIN)

    def _arabic(
        self, sample: str, words: list[str], votes: Votes, letters: Census
    ) -> LanguageReading:
        if sum(1 for ch in sample if ch in _SORANI) >= 2:
            return LanguageReading("ku", "script", 0.0)
        if sum(1 for ch in sample if ch in _PASHTO) >= 2:
            return LanguageReading("ps", "script", 0.0)
        return self._lingua(sample, words, votes, letters, _ARABIC_REGION, _URDU)

    def _lingua(
        self,
        sample: str,
        words: list[str],
        votes: Votes,
        letters: Census,
        region: tuple[str, ...],
        foreign_letters: frozenset[str],
    ) -> LanguageReading:
        """The region's detector; the wide one when the letters or words look foreign."""
        _, foreign_votes = votes.best(self._foreign)
        best, score = votes.best(region)
        runner_up = max((votes.get(c) for c in region if c != best), default=0.0)
        rival = max(runner_up, foreign_votes)
        settled = score >= DECISIVE_WORDS and score >= DECISIVE_RATIO * rival
        odd = 0 if settled else sum(1 for ch in sample.lower() if ch in foreign_letters)
        if odd >= 2 or (
            foreign_votes >= MIN_FOREIGN_WORDS and foreign_votes > FOREIGN_MARGIN * score
        ):
            wide = self._ask(self._wide, sample)
            if wide is not None and wide[0] not in REGION:
                code = self._yugoslav(words, wide[0])
                strength = self._strength(letters, votes, code)
                return LanguageReading(code, "detected", wide[1] * strength)
        strength = self._strength(letters, votes, best) if best else 0.0
        if best and settled:
            # The words leave no doubt: trigrams would only be misled by the German
            # terms (Anerkennung, Studentenwohnheim) that people of every language use.
            return LanguageReading(best, "detected", strength * (1 - runner_up / score / 2))
        found = self._ask(self._region, sample)
        if found is None:
            code = best or region[0]
            return LanguageReading(code, "words", strength / 2)
        code, confidence = found
        if best and score >= 2 * max(runner_up, 0.5):
            if best != code:
                code, confidence = best, 0.75  # a few words that letter statistics misread
            else:  # two signals agree
                confidence = max(confidence, 1 - runner_up / score / 2)
        return LanguageReading(code, "detected", confidence * self._strength(letters, votes, code))

    def _yugoslav(self, words: list[str], code: str) -> str:
        if code not in _YUGOSLAV:
            return code
        return self._words.variant(words, _YUGOSLAV) or code

    @staticmethod
    def _ask(detector: LanguageDetector, sample: str) -> tuple[str, float] | None:
        values = detector.compute_language_confidence_values(sample)
        if not values or values[0].value <= 0:
            return None
        top = values[0]
        code = top.language.iso_code_639_1.name.lower()
        # Croatian, Serbian and Bosnian split the detector's belief between them.
        share = sum(
            v.value for v in values[:3] if v.language.iso_code_639_1.name.lower() in _YUGOSLAV
        )
        return code, share if code in _YUGOSLAV else top.value
