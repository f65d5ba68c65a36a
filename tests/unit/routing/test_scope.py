"""A cue counts where it means what it should: in its language, beside words that keep its sense."""

from __future__ import annotations

from services.routing.cues import CueMatcher, Hit, make_cue
from services.routing.scope import CueScope
from services.routing.words import WordLists
from shared.text import fold

WORDS = WordLists({"en": "is there my a the", "tr": "bir ve", "pl": "my i"}, {})


def _hits(*cues: tuple[str, str, str], text: str) -> tuple[list[Hit], str]:
    made = [make_cue(raw, "topic", label, 2.0, source) for raw, label, source in cues]
    folded = fold(text)
    return CueMatcher([c for c in made if c is not None]).find(folded), folded


def test_a_short_cue_of_another_language_does_not_count() -> None:
    hits, folded = _hits(("iş|", "labour_market", "tr"), text="Is there a course?")
    assert hits  # folding made Turkish "iş" English "is"
    assert CueScope(WORDS).keep(hits, folded, "en") == []
    assert CueScope(WORDS).keep(hits, folded, "tr") == hits


def test_a_common_word_of_the_texts_language_does_not_count_even_from_english() -> None:
    hits, folded = _hits(("my|", "employer", "pl"), ("my|", "worker", "en"), text="my wife")
    kept = CueScope(WORDS).keep(hits, folded, "en")
    assert [h.cue.source for h in kept] == ["en"]


def test_german_and_english_terms_count_in_every_language() -> None:
    hits, folded = _hits(("kita|", "living", "de"), text="Cerco un posto in Kita per mia figlia")
    assert CueScope(WORDS).keep(hits, folded, "it") == hits


def test_an_unsure_language_keeps_every_cue() -> None:
    hits, folded = _hits(("iş|", "labour_market", "tr"), text="is")
    assert CueScope(WORDS).keep(hits, folded, None) == hits


def test_a_neighbour_word_cancels_a_cue_in_its_sentence_only() -> None:
    cue = make_cue("absagen", "topic", "job_application", 2.0, "de", ("kita",))
    assert cue is not None
    text = "Wir haben nur Absagen von Kitas bekommen. Auch auf Bewerbungen kamen Absagen."
    folded = fold(text)
    hits = CueMatcher([cue]).find(folded)
    kept = CueScope(WORDS).keep(hits, folded, "de")
    assert [h.start for h in kept] == [folded.rindex("absagen")]
