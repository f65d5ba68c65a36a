"""The web form's catalogues: complete, well-formed, in step with the templates and code."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file

from services.intake import form_errors, languages
from services.intake.form_input import FieldError
from tests.support.catalogues import assert_complete_and_clean, catalogue, ids

TRANSLATED = sorted(languages.TRANSLATED)


def test_every_form_language_but_the_source_has_a_catalogue() -> None:
    found = sorted(p.name for p in languages.LOCALES.iterdir() if p.is_dir())
    assert found == TRANSLATED
    assert set(languages.FORM_LANGUAGES) == {languages.SOURCE_LANGUAGE, *TRANSLATED}
    assert all(languages.catalogue_path(language).is_file() for language in TRANSLATED)


def test_no_compiled_catalogue_is_shipped() -> None:
    assert list(languages.LOCALES.rglob("*.mo")) == []


def test_template_catalogue_matches_the_templates_and_the_code() -> None:
    options = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(languages.TEMPLATES),
            method_map=[("**.j2", "jinja2")],
            options_map={"**.j2": options},
        )
    }
    found |= {message for _, message, _, _ in extract_from_file("python", form_errors.__file__)}
    assert found == ids(catalogue(languages.LOCALES / "messages.pot"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogue_is_complete_and_checks_clean(language: str) -> None:
    assert_complete_and_clean(
        languages.LOCALES / "messages.pot", languages.catalogue_path(language), language
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_error_message_translates_and_names_its_field(language: str) -> None:
    t = languages.translations(language)
    english = languages.translations("en")
    label = t.gettext(form_errors.LABELS["message"])
    assert label != form_errors.LABELS["message"] or language == "de"
    for kind in ("required", "email", "consent", "choice", "text_only", "invalid", "contact"):
        error = FieldError(kind)
        text = form_errors.describe("message", error, t)
        assert text.startswith(label), (kind, text)
        assert text != form_errors.describe("message", error, english)
    for problem in form_errors.PROBLEMS:
        assert form_errors.problem(problem, t) != form_errors.PROBLEMS[problem]


@pytest.mark.parametrize(
    ("language", "limit", "expected"),
    [
        ("de", 200, "Name: Bitte kürzen Sie den Text auf höchstens 200 Zeichen."),
        ("uk", 12, "Ім’я: будь ласка, скоротіть текст до 12 символів."),
        ("ru", 21, "Имя: пожалуйста, сократите текст до 21 символа."),
        ("pl", 22, "Imię i nazwisko: prosimy skrócić tekst do najwyżej 22 znaków."),
        ("ar", 12, "الاسم: يُرجى اختصار النص إلى 12 حرفًا كحد أقصى."),
        ("ar", 200, "الاسم: يُرجى اختصار النص إلى 200 حرف كحد أقصى."),
        ("en", 1, "Name: please shorten this to at most 1 character."),
    ],
)
def test_length_limits_take_the_languages_plural(language: str, limit: int, expected: str) -> None:
    t = languages.translations(language)
    assert form_errors.describe("name", FieldError("too_long", limit), t) == expected
