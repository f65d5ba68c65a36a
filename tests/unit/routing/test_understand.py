"""Reading an enquiry: language, requester type and topics, with reasons that quote the cues."""

from __future__ import annotations

from typing import Any

import pytest

from services.routing.engine import RoutingEngine
from services.routing.understand import Understanding
from shared.enquiry import EnquiryFields

# Our own short examples, one per language and kind of enquirer.
GERMAN_RECOGNITION = {
    "subject": "Frage zur Anerkennung",
    "message": (
        "Guten Tag, ich habe in der Ukraine Pharmazie studiert und arbeite seit einem Jahr "
        "in Peine als Helferin. Wie läuft die Anerkennung für Apotheker? Welche Unterlagen "
        "brauche ich dafür? Vielen Dank!"
    ),
}
ENGLISH_EMPLOYER = {
    "message": (
        "Dear Welcome Center team, we are a small software company and we are looking to hire "
        "two developers from Brazil. Could you explain which visa they need and whether the "
        "fast-track procedure makes sense for us? Thank you."
    ),
}
UKRAINIAN_INTEGRATION_COURSE = {
    "message": (
        "Добрий день! Я нещодавно переїхала до Гіфгорна разом із донькою. Хочу записатися на "
        "інтеграційний курс, щоб вивчити німецьку мову. Де я можу отримати "
        "Berechtigungsschein? Дякую!"
    ),
}
CHINESE_MASTERS = {
    "message": (
        "您好！我明年本科毕业，专业是机械工程。我想去德国读Master，请问需要APS证书吗？"
        "申请需要什么德语或英语水平？谢谢！"
    ),
}


def _read(engine: RoutingEngine, fields: dict[str, Any]) -> Understanding:
    return engine.reader.read(EnquiryFields.model_validate(fields))


def _reason(u: Understanding, prefix: str) -> str:
    found = [r for r in u.reasons if r.startswith(prefix)]
    assert len(found) == 1, (prefix, u.reasons)
    return found[0]


@pytest.mark.parametrize(
    ("fields", "language", "requester_type", "primary", "cue"),
    [
        pytest.param(GERMAN_RECOGNITION, "de", "worker", "recognition", "Anerkennung", id="de"),
        pytest.param(ENGLISH_EMPLOYER, "en", "employer", "employer_hiring", "hire", id="en"),
        pytest.param(
            UKRAINIAN_INTEGRATION_COURSE, "uk", "worker", "language", "інтеграційний", id="uk"
        ),
        pytest.param(CHINESE_MASTERS, "zh", "worker", "study", "Master", id="zh"),
    ],
)
def test_own_examples_are_understood(
    engine: RoutingEngine,
    fields: dict[str, Any],
    language: str,
    requester_type: str,
    primary: str,
    cue: str,
) -> None:
    u = _read(engine, fields)
    assert u.language == language
    assert u.requester_type == requester_type
    assert u.primary_topic == primary
    mentions = _reason(u, f"topic {primary}: mentions ")
    assert cue in mentions.removeprefix(f"topic {primary}: mentions ").split(", ")


def test_reasons_come_in_a_fixed_order(engine: RoutingEngine) -> None:
    u = _read(engine, GERMAN_RECOGNITION)
    assert u.reasons[0] == "language de (detected)"
    assert u.reasons[1].startswith("worker, writes as a person")
    assert u.reasons[2].startswith("topic recognition: mentions ")
    assert u.reasons[3:] == (
        "district peine: Peine (works there) in the message",
        "site braunschweig serves peine",
    )


def test_employer_reason_quotes_how_the_company_writes(engine: RoutingEngine) -> None:
    u = _read(engine, ENGLISH_EMPLOYER)
    said = _reason(u, "employer, writes as a company: ")
    assert "company" in said


def test_chinese_is_told_by_its_script(engine: RoutingEngine) -> None:
    assert "language zh (script)" in _read(engine, CHINESE_MASTERS).reasons


def test_quoted_cues_are_as_the_enquirer_wrote_them(engine: RoutingEngine) -> None:
    u = _read(engine, UKRAINIAN_INTEGRATION_COURSE)
    mentions = _reason(u, "topic language: mentions ")
    assert "Berechtigungsschein" in mentions  # not the folded 'berechtigungsschein'


@pytest.mark.parametrize(
    ("declared", "code"), [("de", "de"), ("pt-BR", "pt"), ("AR", "ar"), ("uk_UA", "uk")]
)
def test_declared_language_beats_the_detected_one(
    engine: RoutingEngine, declared: str, code: str
) -> None:
    u = _read(engine, {**ENGLISH_EMPLOYER, "preferred_language": declared})
    assert u.language == code
    assert u.reasons[0] == f"language {code} (declared)"


def test_requester_type_given_in_the_form_wins(engine: RoutingEngine) -> None:
    u = _read(engine, {**GERMAN_RECOGNITION, "requester_type": "employer"})
    assert u.requester_type == "employer"
    assert "employer, given in the form" in u.reasons
    u = _read(engine, {**ENGLISH_EMPLOYER, "requester_type": "worker"})
    assert u.requester_type == "worker"


def test_company_field_counts_for_an_employer(engine: RoutingEngine) -> None:
    fields = {"company": "Nordlicht Logistik GmbH", "message": "Hello, we need two welders."}
    u = _read(engine, fields)
    assert u.requester_type == "employer"
    assert _reason(u, "employer, writes as a company (company given)")


def test_employer_topic_even_without_hiring_words(engine: RoutingEngine) -> None:
    u = _read(engine, {"requester_type": "employer", "message": "Guten Tag, eine kurze Frage."})
    assert u.topics == ("employer_hiring",)
    assert "topic employer_hiring: hiring from abroad, as a company writes" in u.reasons


def test_no_clear_topic_goes_to_triage(engine: RoutingEngine) -> None:
    u = _read(engine, {"message": "Hallo, ist da jemand?"})
    assert u.topics == ("other",)
    assert "topic other: no clear topic, for triage" in u.reasons


def test_subject_counts_towards_the_topic(engine: RoutingEngine) -> None:
    u = _read(engine, {"subject": "Integrationskurs", "message": "Hallo, wie geht das?"})
    assert u.primary_topic == "language"
