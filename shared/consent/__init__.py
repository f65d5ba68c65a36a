"""The consent texts of the web form and the API, versioned files in every form language.

`texts/<version>/<language>.yaml` holds the two texts (processing, referral), each a
label (the checkbox) and a text (what it means). A version is the date it took effect;
the latest is the one shown. A released version is never edited: a changed text is a
new folder, so that a recorded consent always names the words the person saw. Adding a
language is adding its file to the current version.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from shared.yamlfile import parse_yaml

TEXTS: Final = Path(__file__).resolve().parent / "texts"
FALLBACK: Final = "en"  # a language without its own file reads the English text
PARTS: Final = ("processing", "referral")


class UnknownConsentError(ValueError):
    """No such version, or no such language in it."""


@dataclass(frozen=True)
class Wording:
    label: str  # beside the checkbox
    text: str  # what ticking it means


@dataclass(frozen=True)
class ConsentText:
    version: str
    language: str
    processing: Wording
    referral: Wording


@functools.cache
def versions(folder: Path = TEXTS) -> tuple[str, ...]:
    """Every version, oldest first (ISO dates sort by time)."""
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))


def current_version(folder: Path = TEXTS) -> str:
    return versions(folder)[-1]


@functools.cache
def languages(version: str, folder: Path = TEXTS) -> tuple[str, ...]:
    if version not in versions(folder):
        raise UnknownConsentError(f"no consent text version {version!r}")
    return tuple(sorted(p.stem for p in (folder / version).glob("*.yaml")))


@functools.cache
def _read(version: str, language: str, folder: Path) -> ConsentText:
    data = parse_yaml((folder / version / f"{language}.yaml").read_text(encoding="utf-8"))
    parts = {part: Wording(str(data[part]["label"]), str(data[part]["text"])) for part in PARTS}
    return ConsentText(version, language, parts["processing"], parts["referral"])


def text(version: str, language: str, folder: Path = TEXTS) -> ConsentText:
    """The version's text in the language, else in English (its `language` says which)."""
    available = languages(version, folder)
    chosen = language if language in available else FALLBACK
    if chosen not in available:
        raise UnknownConsentError(f"consent text {version} has no {language!r} nor English")
    return _read(version, chosen, folder)


def shown(version: str, language: str, folder: Path = TEXTS) -> ConsentText:
    """The text a record names: exactly that version and language, or an error."""
    if language not in languages(version, folder):
        raise UnknownConsentError(f"consent text {version} has no language {language!r}")
    return _read(version, language, folder)
