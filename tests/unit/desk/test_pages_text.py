"""The desk's words: German and English from catalogues in step with the templates; ids in
routing reasons shown with names."""

from __future__ import annotations

import datetime as dt

from babel.messages.extract import extract_from_dir, extract_from_file
from starlette.requests import Request

from services.desk import labels, views
from services.desk.cases.names import Names
from tests.support.catalogues import assert_complete_and_clean, catalogue, ids


def test_the_catalogue_template_matches_the_templates_and_labels() -> None:
    options = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(views.TEMPLATES), method_map=[("**.j2", "jinja2")], options_map={"**.j2": options}
        )
    }
    found |= {
        message
        for _, message, _, _ in extract_from_file("python", labels.__file__, keywords={"N_": None})
    }
    assert found == ids(catalogue(views.LOCALES / "messages.pot"))


def test_the_german_catalogue_is_complete() -> None:
    assert_complete_and_clean(
        views.LOCALES / "messages.pot", views.LOCALES / "de" / "LC_MESSAGES" / "messages.po", "de"
    )
    assert list(views.LOCALES.rglob("*.mo")) == []


def test_every_label_is_translated() -> None:
    german = views.translations("de")
    for table in (labels.STATUS, labels.OUTCOME, labels.TOPIC, labels.ACTION, labels.DONE):
        for text in table.values():
            assert german.gettext(text) != text or text in ("Triage", "API")


def _request(query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": query,
            "headers": headers or [],
        }
    )


def test_the_ui_language_follows_the_link_then_the_account_then_the_browser() -> None:
    assert views.ui_language(_request(b"lang=en"), "de") == ("en", True)
    assert views.ui_language(_request(b"lang=xx"), "en") == ("en", False)
    browser = [(b"accept-language", b"en-GB,en;q=0.8")]
    assert views.ui_language(_request(headers=browser)) == ("en", False)
    assert views.ui_language(_request(headers=[(b"accept-language", b"fr")])) == ("de", False)
    remembered = [(b"cookie", b"wd_desk_lang=en")]
    assert views.ui_language(_request(headers=remembered), "de") == ("en", False)


def test_reasons_name_managers_and_partners() -> None:
    names = Names(
        managers={"m-01": "Lucía Fernández", "m-1": "Short Id"},
        partners={"p-01": "IQ Beratung"},
        sites={},
    )
    said = names.in_text("m-01: speaks es; partner p-01: recognition; not m-010 or xm-01")
    assert said == (
        "Lucía Fernández (m-01): speaks es; partner IQ Beratung (p-01): recognition; "
        "not m-010 or xm-01"
    )


def test_times_read_the_same_way_in_both_languages() -> None:
    # The centre's staff read dates in German order, the English desk included: a US
    # 12/6/26 would be read as 12 June.
    moment = dt.datetime(2026, 12, 6, 15, 39, tzinfo=dt.UTC)  # 16:39 in Lower Saxony
    assert views.environment("en").filters["when"](moment) == "06/12/2026, 16:39"
    assert views.environment("de").filters["when"](moment) == "06.12.26, 16:39"
