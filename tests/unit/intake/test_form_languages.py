"""Which language the form speaks: ?lang=, then the cookie, then Accept-Language, then German."""

from __future__ import annotations

import pytest

from services.intake import languages
from services.intake.languages import Choice, accepted, choose
from shared import consent


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", []),
        ("de-DE,de;q=0.9,en;q=0.8", ["de-DE", "de", "en"]),
        ("en;q=0.2, ar", ["ar", "en"]),
        ("uk;q=0.5,ru;q=0.5,pl", ["pl", "uk", "ru"]),
        ("tr;q=0, es, *;q=0.1", ["es"]),
        ("fr;q=nonsense, it", ["it"]),
    ],
)
def test_accept_language_is_read_best_first(header: str, expected: list[str]) -> None:
    assert accepted(header) == expected


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        ("ar", "de", "uk", Choice("ar", remember=True)),
        ("AR", None, None, Choice("ar", remember=True)),
        ("xx", "uk", "ar", Choice("uk", remember=False)),
        (None, "pl", "ar", Choice("pl", remember=False)),
        (None, "zz", "ar-SY,en;q=0.5", Choice("ar", remember=False)),
        (None, None, "fr-CH, fr;q=0.9, es-MX;q=0.8", Choice("es", remember=False)),
        (None, None, "pt-BR", Choice("de", remember=False)),
        (None, None, None, Choice("de", remember=False)),
    ],
)
def test_choice_order(
    query: str | None, cookie: str | None, header: str | None, expected: Choice
) -> None:
    assert choose(query=query, cookie=cookie, accept_language=header) == expected


def test_arabic_is_right_to_left_and_the_others_are_not() -> None:
    directions = {code: languages.text_direction(code) for code in languages.FORM_LANGUAGES}
    assert {code for code, d in directions.items() if d == "rtl"} == {"ar"}


def test_language_names_are_their_own_and_the_pages() -> None:
    assert languages.language_name("ar", "de") == "العربية (Arabisch)"
    assert languages.language_name("de", "de") == "Deutsch"
    assert languages.language_name("es", "es") == "Español"
    codes = [code for code, _ in languages.answer_languages("en")]
    assert codes[:3] == ["de", "en", "ar"] and "hi" in codes


@pytest.mark.parametrize("language", languages.FORM_LANGUAGES)
def test_every_page_renders_with_lang_and_dir(language: str) -> None:
    choice = Choice(language, remember=False)
    html = languages.render(choice, "thanks.html.j2", reference=None)
    assert f'<html lang="{language}" dir="{choice.direction}">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_pages_escape_what_people_typed() -> None:
    html = languages.render(
        Choice("en", remember=False),
        "form.html.j2",
        values={"name": '"><script>alert(1)</script>', "message": "</textarea><b>x</b>"}
        | dict.fromkeys(
            (
                "requester_type",
                "email",
                "phone",
                "company",
                "postal_code",
                "city",
                "country",
                "preferred_language",
                "preferred_site",
                "subject",
            ),
            "",
        ),
        checked={"consent_processing": False, "consent_referral": False},
        errors={"name": "<i>bad</i>"},
        problem=None,
        token="t",
        answer_languages=list(languages.answer_languages("en")),
        consent=consent.text(consent.current_version(), "en"),
    )
    assert "<script>" not in html and "<b>x</b>" not in html and "<i>bad</i>" not in html
    assert "&lt;script&gt;" in html
