"""Which language the form speaks: ?lang=, then the cookie, then Accept-Language, then German."""

from __future__ import annotations

import re

import pytest

from services.intake import languages
from services.intake.form_input import blank
from services.intake.languages import Choice, accepted, choose
from services.notifications import i18n as confirmations
from shared import consent
from shared.vocabulary import REGION_LANGUAGES


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
        (None, None, "fr-CH, fr;q=0.9, es-MX;q=0.8", Choice("fr", remember=False)),
        (None, None, "sw, es-MX;q=0.8", Choice("es", remember=False)),
        (None, None, "pt-BR", Choice("pt", remember=False)),
        (None, None, "vi", Choice("vi", remember=False)),
        (None, None, "zh-CN,zh;q=0.9", Choice("zh", remember=False)),
        ("fa", None, "de", Choice("fa", remember=True)),
        ("HI", None, None, Choice("hi", remember=True)),
        (None, None, "sw", Choice("de", remember=False)),
        (None, None, None, Choice("de", remember=False)),
    ],
)
def test_choice_order(
    query: str | None, cookie: str | None, header: str | None, expected: Choice
) -> None:
    assert choose(query=query, cookie=cookie, accept_language=header) == expected


def test_arabic_and_persian_are_right_to_left_and_the_others_are_not() -> None:
    directions = {code: languages.text_direction(code) for code in languages.FORM_LANGUAGES}
    assert {code for code, d in directions.items() if d == "rtl"} == {"ar", "fa"}


def test_the_form_speaks_every_language_the_region_writes_in() -> None:
    assert set(languages.FORM_LANGUAGES) == set(REGION_LANGUAGES)
    assert len(languages.FORM_LANGUAGES) == 17


def test_the_form_speaks_every_language_a_confirmation_is_written_in() -> None:
    # Someone who gets a confirmation in their language can read the form in it too.
    assert set(confirmations.CONFIRMATION_LANGUAGES) <= set(languages.FORM_LANGUAGES)


def test_every_form_language_has_its_link_at_the_top_of_the_page() -> None:
    html = languages.render(Choice("fa", remember=False), "thanks.html.j2", reference=None)
    for code in languages.FORM_LANGUAGES:
        assert f'href="?lang={code}" lang="{code}" hreflang="{code}"' in html
    assert '<html lang="fa" dir="rtl">' in html


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


def _form(language: str, **values: str) -> str:
    submission = blank(answer_language=language)
    return languages.render(
        Choice(language, remember=False),
        "form.html.j2",
        values=submission.values | values,
        checked=submission.checked,
        errors={"name": "<i>bad</i>"},
        problem=None,
        token="t",
        answer_languages=list(languages.answer_languages(language)),
        consent=consent.text(consent.current_version(), language),
    )


def test_pages_escape_what_people_typed() -> None:
    html = _form("en", name='"><script>alert(1)</script>', message="</textarea><b>x</b>")
    assert "<script>" not in html and "<b>x</b>" not in html and "<i>bad</i>" not in html
    assert "&lt;script&gt;" in html


def _label(html: str, name: str) -> str:
    found = re.search(rf'<label for="f-{name}">(.*?)</label>', html, re.DOTALL)
    assert found is not None, name
    return found.group(1)


@pytest.mark.parametrize("language", languages.FORM_LANGUAGES)
def test_email_and_phone_are_marked_one_of_the_two_required(language: str) -> None:
    html = _form(language)
    either = languages.translations(language).gettext("(one of the two is required)")
    required = languages.translations(language).gettext("(required)")
    assert either != required
    assert either in _label(html, "email") and either in _label(html, "phone")
    assert html.count(either) == 2
    assert required in _label(html, "message") and required not in _label(html, "email")
