"""The confirmation's catalogues: complete, well-formed, in step with the templates."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file

from services.notifications import i18n, vocabulary
from shared.vocabulary import REGION_LANGUAGES
from tests.support.catalogues import assert_complete_and_clean, catalogue, ids

LANGUAGES = sorted(i18n.TRANSLATED)


def test_every_language_directory_is_a_listed_catalogue() -> None:
    found = sorted(p.name for p in i18n.LOCALES.iterdir() if p.is_dir())
    assert found == LANGUAGES
    assert all(i18n.catalogue_path(language).is_file() for language in LANGUAGES)


def test_a_confirmation_speaks_every_language_the_region_writes_in() -> None:
    assert set(REGION_LANGUAGES) == i18n.CONFIRMATION_LANGUAGES


def test_no_compiled_catalogue_is_shipped() -> None:
    assert list(i18n.LOCALES.rglob("*.mo")) == []


def test_template_catalogue_matches_the_templates_and_the_code() -> None:
    extracted = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(i18n.TEMPLATES),
            method_map=[("**.j2", "jinja2")],
            options_map={"**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}},
        )
    }
    extracted |= {message for _, message, _, _ in extract_from_file("python", vocabulary.__file__)}
    assert extracted == ids(catalogue(i18n.LOCALES / "messages.pot"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_checks_clean(language: str) -> None:
    assert_complete_and_clean(
        i18n.LOCALES / "messages.pot", i18n.catalogue_path(language), language
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates(language: str) -> None:
    subject = "We have received your enquiry"
    assert i18n.translations(language).gettext(subject) != subject


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("de", 1, "innerhalb eines Werktages"),
        ("de", 3, "innerhalb von 3 Werktagen"),
        ("uk", 1, "протягом 1 робочого дня"),
        ("uk", 3, "протягом 3 робочих днів"),
        ("uk", 11, "протягом 11 робочих днів"),
        ("uk", 21, "протягом 21 робочого дня"),
        ("ru", 2, "в течение 2 рабочих дней"),
        ("pl", 1, "w ciągu 1 dnia roboczego"),
        ("pl", 22, "w ciągu 22 dni roboczych"),
        ("ar", 1, "خلال يوم عمل واحد"),
        ("ar", 2, "خلال يومَي عمل"),
        ("ar", 5, "خلال 5 أيام عمل"),
        ("ar", 11, "خلال 11 يوم عمل"),
        ("ro", 20, "în 20 de zile lucrătoare"),
        ("zh", 2, "通常在 2 个工作日内"),
        ("hi", 1, "आमतौर पर 1 कार्यदिवस के भीतर"),
        ("hi", 3, "आमतौर पर 3 कार्यदिवसों के भीतर"),
    ],
)
def test_working_days_take_the_languages_plural(language: str, days: int, expected: str) -> None:
    assert expected in i18n.render(
        language,
        "confirmation.txt.j2",
        lang=language,
        direction=i18n.text_direction(language),
        fallback=False,
        name="",
        reference="WC-2026-000001",
        subject="",
        site=None,
        home_site=None,
        elsewhere=None,
        referred=[],
        email="",
        phone="",
        status_url="https://example.org/s",
        days=days,
        sender_name="WC",
        title="t",
    )


@pytest.mark.parametrize(
    ("requested", "expected"),
    [("de", ("de", False)), ("DE-at", ("de", False)), ("en", ("en", False)), ("sw", ("en", True))],
)
def test_confirmation_language(requested: str, expected: tuple[str, bool]) -> None:
    assert i18n.confirmation_language(requested) == expected


def test_html_templates_autoescape_and_text_templates_do_not() -> None:
    facts = {
        "reference": "<r&>",
        "name": "",
        "email": "",
        "phone": "",
        "requester": "",
        "company": "",
        "language": "",
        "interpreter": False,
        "topics": [],
        "district": None,
        "site": None,
        "manager": "",
        "subject": "",
        "message": "",
        "reasons": {"de": [], "en": []},
        "case_url": "",
    }
    assert "&lt;r&amp;&gt;" in i18n.render("de", "_case.html.j2", **facts)
    assert "<r&>" not in i18n.render("de", "_case.html.j2", **facts)
    assert "Reference: <r&>\n" in i18n.render("de", "_case.txt.j2", **facts)
