"""The status page's words: the day an enquiry came in, and the page in every form language."""

from __future__ import annotations

import datetime as dt

import pytest

from services.intake import languages
from services.intake.languages import Choice
from services.intake.status_page import received_on

LATE = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)  # 00:30 on 6 December in Germany


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "6. Dezember 2026"), ("en", "6 December 2026"), ("fr", "6 décembre 2026")],
)
def test_the_day_is_the_centres_day_in_the_pages_language(language: str, expected: str) -> None:
    assert received_on(LATE, language) == expected


def test_a_time_without_a_zone_counts_as_utc() -> None:
    assert received_on(LATE.replace(tzinfo=None), "de") == "6. Dezember 2026"


def _status_page(language: str, **context: object) -> str:
    facts: dict[str, object] = {
        "reference": "WC-2026-000042",
        "status": "with_manager",
        "received": "6. Dezember 2026",
        "site": "braunschweig",
        "site_name": "Welcome Center Braunschweig",
    }
    return languages.render(Choice(language, remember=False), "status.html.j2", **facts | context)


@pytest.mark.parametrize("language", languages.FORM_LANGUAGES)
def test_the_status_page_speaks_every_form_language(language: str) -> None:
    t = languages.translations(language)
    html = _status_page(language)
    assert f'<html lang="{language}" dir="{languages.text_direction(language)}">' in html
    assert f"<h1>{t.gettext('The status of your enquiry')}</h1>" in html
    assert t.gettext("A manager has your enquiry and will contact you.") in html
    assert f"<dd>{t.gettext('Braunschweig')}</dd>" in html
    assert '<p class="reference" dir="ltr">WC-2026-000042</p>' in html


def test_a_site_the_catalogue_does_not_know_shows_its_directory_name() -> None:
    html = _status_page("de", site="goslar", site_name="Welcome Center <Goslar>")
    assert "<dd>Welcome Center &lt;Goslar&gt;</dd>" in html
    assert "Standort des Welcome Centers" not in _status_page("de", site=None)
