"""Reading the language of an enquiry: scripts, common words, lingua, and when to claim none."""

from __future__ import annotations

import pytest

from services.routing.language import UNSURE, LanguageIdentifier
from services.routing.scripts import census
from services.routing.words import WordLists, tokens
from shared.text import fold


@pytest.fixture(scope="module")
def languages() -> LanguageIdentifier:
    return LanguageIdentifier()


# Our own sentences, one per language and way of writing.
OUTSIDE_THE_REGION = [
    (
        "hu",
        "Jó napot! Szakácsként dolgozom egy étteremben, és szeretném tudni, "
        "hol tanulhatok németül este.",
    ),
    (
        "el",
        "Καλημέρα, είμαι μάγειρας και θέλω να μάθω πού μπορώ να κάνω μαθήματα γερμανικών το βράδυ.",
    ),
    (
        "sq",
        "Mirëdita, jam kuzhinier dhe dua të di ku mund të mësoj gjermanisht në "
        "mbrëmje. Faleminderit.",
    ),
    (
        "hr",
        "Dobar dan, radim kao kuhar i želio bih znati gdje mogu učiti njemački "
        "navečer. Hvala unaprijed.",
    ),
    (
        "ur",
        "السلام علیکم، میں باورچی ہوں اور مجھے شام کو جرمن زبان سیکھنی ہے۔ "
        "براہ کرم بتائیں کہ کہاں ملے گا۔",
    ),
    (
        "ku",
        "Silav, ez aşpêj im û ez dixwazim êvaran zimanê almanî hîn bibim. Ez "
        "çawa dikarim qeyd bibim?",
    ),
    ("ku", "سڵاو، من چێشتلێنەرم و دەمەوێت ئێواران زمانی ئەڵمانی فێر ببم. تکایە یارمەتیم بدەن."),
    ("ti", "ሰላም፡ ኣነ ሰራሕተኛ ክሽነ እየ። ምሸት ቋንቋ ጀርመን ክመሃር ደልየ ኣለኹ። የቐንየለይ።"),
]
OUTSIDE_THE_REGION.append(("ps", "سلام، زه اشپز یم او غواړم د ماښام الماني ژبه زده کړم. مننه"))
IN_LATIN_LETTERS = [
    ("ru", "Zdravstvuyte, ya rabotayu povarom i hochu uchit nemetskiy yazyk vecherom. Gde mozhno?"),
    ("uk", "Dobryi den, ya pratsyuyu kukharem i khochu vchyty nimetsku movu. Shcho meni robyty?"),
    ("ar", "salam, ana tabbakh w bade at3allam almani bel masa. wen fi kurs? shukran ktir"),
    ("hi", "Namaste ji, main cook hoon aur mujhe shaam ko German seekhni hai. Kahan class milegi?"),
]


@pytest.mark.parametrize(("code", "text"), OUTSIDE_THE_REGION)
def test_a_language_outside_the_region_is_named(
    languages: LanguageIdentifier, code: str, text: str
) -> None:
    reading = languages.detect(text)
    assert reading.code == code
    assert not reading.unsure


@pytest.mark.parametrize(("code", "text"), IN_LATIN_LETTERS)
def test_a_language_written_in_latin_letters_is_recognised(
    languages: LanguageIdentifier, code: str, text: str
) -> None:
    reading = languages.detect(text)
    assert (reading.code, reading.note) == (code, "written in Latin letters")


def test_german_terms_do_not_turn_a_message_german(languages: LanguageIdentifier) -> None:
    text = (
        "Ciao, sono infermiera e vivo a Wolfenbüttel. Ho il Defizitbescheid e devo fare "
        "l'Anpassungslehrgang o la Kenntnisprüfung: quale mi conviene? Grazie mille."
    )
    assert languages.detect(text).code == "it"


@pytest.mark.parametrize(("text", "code"), [("Hello", "en"), ("Hallo?", "de")])
def test_too_little_latin_text_claims_german_and_english(
    languages: LanguageIdentifier, text: str, code: str
) -> None:
    reading = languages.detect(text)
    assert reading.unsure and reading.confidence < UNSURE
    assert (reading.code, reading.how) == (code, "fallback")
    assert reading.note == "too little text: German and English"


def test_a_word_of_no_language_falls_back_on_german_or_english(
    languages: LanguageIdentifier,
) -> None:
    reading = languages.detect("ok")
    assert reading.unsure
    assert reading.code in ("de", "en")


def test_too_little_text_in_another_script_falls_back_on_the_script(
    languages: LanguageIdentifier,
) -> None:
    reading = languages.detect("Привет")
    assert reading.unsure
    assert reading.how == "script"
    assert reading.code in ("ru", "uk", "bg")
    assert languages.detect("مرحبا").code == "ar"


def test_a_declared_language_is_sure(languages: LanguageIdentifier) -> None:
    reading = languages.detect("Hello", declared="pt")
    assert (reading.code, reading.how, reading.confidence) == ("pt", "declared", 1.0)


def test_a_clear_message_is_sure(languages: LanguageIdentifier) -> None:
    reading = languages.detect(
        "Guten Tag, ich suche einen Deutschkurs am Abend, weil ich tagsüber arbeite."
    )
    assert (reading.code, reading.unsure) == ("de", False)
    assert reading.confidence > 0.9


def test_the_census_counts_letters_by_script() -> None:
    found = census("Hello Привет 你好")
    assert found.letters == 13
    assert found.counts == {"latin": 5, "cyrillic": 6, "han": 2}
    assert census("你好，我想学德语").main == "han"
    assert census("12345 !?").main is None


def test_a_word_shared_by_languages_splits_its_vote() -> None:
    lists = WordLists({"aa": "ja nein", "bb": "ja da"}, {})
    votes = lists.votes(tokens(fold("Ja, nein.")))
    assert votes.get("aa") == 1.5
    assert votes.get("bb") == 0.5
    assert votes.best(("aa", "bb")) == ("aa", 1.5)
