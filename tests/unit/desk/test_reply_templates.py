"""Reply templates without a database: placeholders checked and filled, what a template
must be, which templates a case is offered, and the shipped starter set."""

from __future__ import annotations

import pytest

from services.desk.admin.errors import InvalidEntryError
from services.desk.reply_templates.checks import check_key, clean_variants
from services.desk.reply_templates.offer import BETWEEN, choose
from services.desk.reply_templates.placeholders import fill, problems
from services.desk.reply_templates.starter import read_starter
from services.desk.reply_templates.store import ReplyTemplate, Variant
from shared.vocabulary import REGION_LANGUAGES

VALUES = {"name": "Olena", "reference": "WC-2026-000007", "manager": "Oksana", "site": "WC Wob"}


def test_known_placeholders_and_doubled_braces_pass() -> None:
    assert problems("Hello {name}, {reference} – {manager}, {site}. {{braces}}") == []
    filled = fill("Hello {name} ({reference}), {{not a placeholder}}", VALUES)
    assert filled == "Hello Olena (WC-2026-000007), {not a placeholder}"


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Dear {email},", "unknown placeholder {email}"),
        ("Dear {Name},", "unknown placeholder {Name}"),
        ("Dear {},", "unknown placeholder {}"),
        ("Dear {name!r},", "unknown placeholder {name!r}"),
        ("Dear {name", "the '{' at character 6 is never closed"),
        ("Dear name},", "a '}' at character 10 closes nothing"),
    ],
)
def test_a_wrong_brace_is_named(text: str, said: str) -> None:
    found = problems(text)
    assert len(found) == 1 and found[0].startswith(said), found


def test_a_placeholder_without_a_value_becomes_empty() -> None:
    assert fill("Hello {name}!", {}) == "Hello !"


def test_a_template_is_refused_naming_each_field_at_fault() -> None:
    with pytest.raises(InvalidEntryError) as caught:
        clean_variants(
            {
                "uk": {"title": "Курс", "text": "Добрий день, {імя}!"},
                "de": {"title": "", "text": "Guten Tag {name}"},
                "en": {"title": "Only a title", "text": ""},
                "xx": {"title": "T", "text": "t"},
            }
        )
    fields = caught.value.fields
    assert set(fields) == {"uk.text", "de.title", "en.text", "xx"}
    assert "unknown placeholder {імя}" in fields["uk.text"]
    assert "{name}, {reference}, {manager}, {site}" in fields["uk.text"]


def test_a_template_needs_one_language_and_a_plain_key() -> None:
    with pytest.raises(InvalidEntryError) as caught:
        clean_variants({"de": {"title": " ", "text": "\n"}})
    assert set(caught.value.fields) == {"variants"}
    for bad in ("", "Blue Card", "x" * 65, "-start", "ключ"):
        with pytest.raises(InvalidEntryError):
            check_key(bad)
    assert check_key(" eu_blue_card ") == "eu_blue_card"


def test_control_characters_never_reach_the_text() -> None:
    cleaned = clean_variants(
        {"en": {"title": "A\r\nBcc: x@example.net", "text": "Hi\r\nthere\x1b[31m\x00\u2028end  "}}
    )
    assert cleaned["en"]["title"] == "A Bcc: x@example.net"
    assert cleaned["en"]["text"] == "Hi\nthere[31m\nend"


def _template(key: str, **variants: str) -> ReplyTemplate:
    return ReplyTemplate(key, {c: Variant(f"{key} {c}", t) for c, t in variants.items()})


TEMPLATES = [
    _template("a_only_german", de="Hallo {name}"),
    _template("b_everywhere", de="Hallo {name}", en="Hello {name}", uk="Привіт, {name}"),
    _template("c_no_ukrainian", de="Guten Tag {name}", en="Good day {name}"),
    _template("d_only_french", fr="Bonjour {name}"),
]


def test_the_case_language_comes_first_then_english_and_german_together() -> None:
    offers = choose(TEMPLATES, "uk", VALUES)
    assert [(o.key, o.languages) for o in offers] == [
        ("b_everywhere", ("uk",)),
        ("a_only_german", ("de",)),
        ("c_no_ukrainian", ("en", "de")),
    ]
    assert offers[0].text == "Привіт, Olena"
    both = offers[2]
    assert both.text == f"Good day Olena{BETWEEN}Guten Tag Olena"
    assert both.title == "c_no_ukrainian en / c_no_ukrainian de"


def test_without_a_case_the_placeholders_stay_as_written() -> None:
    offers = choose(TEMPLATES, "de", {})
    assert [o.languages for o in offers] == [("de",), ("de",), ("de",)]
    assert offers[0].text == "Hallo {name}"


def test_the_starter_set_covers_the_common_answers_and_passes_the_rules() -> None:
    starter = read_starter()
    assert set(starter) >= {
        "recognition_counselling",
        "integration_course",
        "eu_blue_card",
        "ausbildung",
        "fast_track_employers",
        "partner_referral",
    }
    for key, variants in starter.items():
        assert {"de", "en"} <= set(variants), key
        assert set(variants) <= set(REGION_LANGUAGES), key
        for code, variant in variants.items():
            assert "{name}" in variant["text"] and "{reference}" in variant["text"], (key, code)
    assert "uk" in starter["integration_course"] and "ar" in starter["recognition_counselling"]
    assert "§ 81a" in starter["fast_track_employers"]["de"]["title"]
