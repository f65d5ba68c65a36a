"""The consent texts: a file per version and language, every form language in the current
version, English where a language has none, and enquiries that name what they saw."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from services.intake import languages
from services.intake.schemas import EnquiryCreate
from shared import consent


def test_the_current_version_speaks_every_form_language() -> None:
    current = consent.current_version()
    assert set(languages.FORM_LANGUAGES) <= set(consent.languages(current))


@pytest.mark.parametrize("version", consent.versions())
def test_every_file_has_both_texts_written_out(version: str) -> None:
    english = consent.shown(version, "en")
    for language in consent.languages(version):
        text = consent.shown(version, language)
        for part in (text.processing, text.referral):
            assert len(part.label) > 30 and len(part.text) > 100, (version, language)
        if language != "en":  # translated, not copied
            assert text.processing.text != english.processing.text, language
            assert text.referral.label != english.referral.label, language


def test_german_and_english_say_what_happens_to_the_data() -> None:
    german = consent.shown(consent.current_version(), "de")
    english = consent.shown(consent.current_version(), "en")
    assert "löschung" in german.processing.text.lower()
    assert "delete" in english.processing.text
    assert "Partner" in german.referral.text and "partner" in english.referral.text


def _write(folder: Path, version: str, language: str, label: str) -> None:
    (folder / version).mkdir(parents=True, exist_ok=True)
    body = "".join(
        f"{part}:\n  label: {label} {part}\n  text: what {part} means in {language}\n"
        for part in consent.PARTS
    )
    (folder / version / f"{language}.yaml").write_text(body, encoding="utf-8")


def test_a_new_version_is_a_new_folder_and_old_ones_stay_readable(tmp_path: Path) -> None:
    _write(tmp_path, "2026-01-01", "en", "old")
    _write(tmp_path, "2026-06-01", "en", "new")
    _write(tmp_path, "2026-06-01", "de", "neu")
    assert consent.versions(tmp_path) == ("2026-01-01", "2026-06-01")
    assert consent.current_version(tmp_path) == "2026-06-01"
    assert consent.shown("2026-01-01", "en", tmp_path).processing.label == "old processing"
    # A language added to the new version only: the old one reads English for it.
    fallback = consent.text("2026-01-01", "de", tmp_path)
    assert fallback.language == "en" and fallback.processing.label == "old processing"
    assert consent.text("2026-06-01", "de", tmp_path).referral.label == "neu referral"
    with pytest.raises(consent.UnknownConsentError):
        consent.shown("2026-01-01", "de", tmp_path)  # a record names exactly what was shown
    with pytest.raises(consent.UnknownConsentError):
        consent.languages("2025-01-01", tmp_path)


def _enquiry(**fields: object) -> EnquiryCreate:
    body = {"message": "Hallo", "email": "a@example.net", "consent_processing": True}
    return EnquiryCreate.model_validate({**body, **fields})


def test_an_enquiry_names_the_text_it_consented_to() -> None:
    current = consent.current_version()
    assert _enquiry().consent_version == current and _enquiry().consent_language is None
    named = _enquiry(consent_version=current, consent_language="uk")
    assert (named.consent_version, named.consent_language) == (current, "uk")
    with pytest.raises(ValidationError) as unknown:
        _enquiry(consent_version="1999-01-01")
    assert unknown.value.errors()[0]["loc"] == ("consent_version",)
    with pytest.raises(ValidationError) as language:
        _enquiry(consent_language="xx")
    assert language.value.errors()[0]["loc"] == ("consent_language",)
