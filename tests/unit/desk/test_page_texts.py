"""The desk's `_()` gives what Jinja's own newstyle gettext gives, for every text of the
catalogues, with and without variables (which are escaped)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from services.desk.views import LOCALES, environment, translations

TEXT = "{{ _(message, **variables) }}|{{ _(message, **variables) }}"


def _messages(language: str) -> list[str]:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    return [m.id for m in catalogue if m.id and isinstance(m.id, str)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_texts_are_those_of_jinjas_gettext(language: str) -> None:
    reference = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    reference.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True
    )
    ours = environment(language).from_string(TEXT)
    theirs = reference.from_string(TEXT)
    messages = _messages("de")
    assert len(messages) > 100
    for message in [*messages, "100%% sure", "not in the catalogue"]:
        variables = {
            name: 3 if kind == "d" else "<b>&"
            for name, kind in re.findall(r"%\((\w+)\)([sd])", message)
        }
        context = {"message": message, "variables": variables}
        assert ours.render(context) == theirs.render(context), message
