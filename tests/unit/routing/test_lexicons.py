"""The shipped cue lexicons and written examples are complete and well-formed."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from services.routing.cues import CueMatcher, Hit, make_cue, parse_lexicon, shipped_lexicons
from shared.region import Region
from shared.text import fold
from shared.vocabulary import REGION_LANGUAGES, REQUESTER_TYPES, TOPICS
from shared.yamlfile import parse_yaml

DATA = resources.files("services.routing").joinpath("data")


def _load(kind: str, language: str) -> dict[str, Any]:
    data = parse_yaml(DATA.joinpath(kind, f"{language}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("language", REGION_LANGUAGES)
def test_every_region_language_has_cues_for_every_topic(language: str) -> None:
    data = _load("cues", language)
    assert set(data["topics"]) == set(TOPICS)
    cues = parse_lexicon(data, language)
    for topic in TOPICS:
        assert sum(1 for c in cues if c.kind == "topic" and c.label == topic) >= 10, topic
    labels = {c.label for c in cues if c.kind == "requester"}
    assert set(REQUESTER_TYPES) <= labels <= {*REQUESTER_TYPES, "owner", "business"}


@pytest.mark.parametrize("language", REGION_LANGUAGES)
def test_cues_are_long_enough_to_be_specific(language: str) -> None:
    short = [
        c.key
        for c in parse_lexicon(_load("cues", language), language)
        if len(c.key) < 4
        and not c.whole_word
        and not c.infix
        and not any("\u3400" <= ch <= "\u9fff" for ch in c.key)  # Chinese words are short
    ]
    assert short == []


def test_shared_lexicons_for_places_and_asks_are_shipped() -> None:
    kinds = {c.kind for c in shipped_lexicons()}
    assert {"topic", "requester", "place", "context", "intent"} <= kinds


EXAMPLE_FILES = sorted(
    e.name.removesuffix(".yaml") for e in DATA.joinpath("examples").iterdir() if e.is_file()
)


def test_every_region_language_has_many_written_examples() -> None:
    assert set(REGION_LANGUAGES) <= set(EXAMPLE_FILES)
    for language in REGION_LANGUAGES:
        assert len(_load("examples", language)["examples"]) >= 40, language


@pytest.mark.parametrize("language", EXAMPLE_FILES)
def test_written_examples_use_the_vocabulary(language: str, region: Region) -> None:
    data = _load("examples", language)
    assert data["language"] == language
    for example in data["examples"]:
        assert example["text"].strip()
        assert set(example["topics"]) <= set(TOPICS)
        assert example.get("requester", "worker") in REQUESTER_TYPES
        assert example.get("district") in region.districts | {None}


def _find(matcher: CueMatcher, text: str) -> list[Hit]:
    return matcher.find(fold(text))


def test_a_plain_cue_matches_at_a_word_start_and_continues() -> None:
    cue = make_cue("anerkenn", "topic", "recognition", 3.0, "de")
    assert cue is not None
    matcher = CueMatcher([cue])
    assert [h.end for h in _find(matcher, "Die Anerkennung")] == [len("Die Anerkennung")]
    assert _find(matcher, "Berufsanerkennung") == []


def test_a_starred_cue_matches_inside_a_word_and_a_barred_one_only_whole() -> None:
    inside = make_cue("*anerkennung", "topic", "recognition", 3.0, "de")
    whole = make_cue("cv|", "topic", "job_application", 3.0, "en")
    assert inside is not None and whole is not None
    matcher = CueMatcher([inside, whole])
    assert [h.cue.key for h in _find(matcher, "Berufsanerkennung")] == ["anerkennung"]
    assert [h.cue.key for h in _find(matcher, "my CV, please")] == ["cv"]
    assert _find(matcher, "cvs and cvx") == []


def test_folding_makes_accents_and_script_variants_alike() -> None:
    assert fold("Wolfenbüttel ÇALIŞMA Straße") == "wolfenbuttel calisma strasse"
    assert fold("إعادة") == fold("اعاده")
    assert fold("یک") == fold("يك")
