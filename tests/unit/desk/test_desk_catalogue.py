"""The desk's catalogues hold every message its pages show, and German translates them all."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.util import pathmatch

from tests.support.catalogues import assert_complete_and_clean, catalogue, ids

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "services" / "desk" / "locales"


def _in_the_code() -> set[object]:
    """What `pybabel extract` with babel.cfg finds in labels.py and the templates."""
    config = LOCALES / "babel.cfg"
    with config.open() as text:
        # Babel's own reading of the file (untyped), so that the test and the tool agree.
        methods, options = parse_mapping_cfg(text, str(config))  # type: ignore[no-untyped-call]
    files = [p.relative_to(ROOT).as_posix() for p in (ROOT / "services" / "desk").rglob("*")]
    found: set[object] = set()
    for pattern, method in methods:
        for name in sorted(f for f in files if pathmatch(pattern, f)):
            for _, message, _, _ in extract_from_file(
                method,
                ROOT / name,
                keywords={**DEFAULT_KEYWORDS, "N_": None},
                options=options[pattern],
            ):
                found.add(message)
    return found


def test_the_template_holds_every_message_of_the_pages() -> None:
    """A text added to a page but not extracted would show in English on a German page."""
    assert _in_the_code() == ids(catalogue(LOCALES / "messages.pot"))


def test_the_german_catalogue_is_complete_and_clean() -> None:
    assert_complete_and_clean(
        LOCALES / "messages.pot", LOCALES / "de" / "LC_MESSAGES" / "messages.po", "de"
    )
