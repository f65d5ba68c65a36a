"""Real writing: families, small employers, long stories, other questions, foreign languages.

The texts are our own, written the way enquiries arrive (not taken from any test set).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.routing.engine import Ledger, RoutingEngine
from services.routing.understand import Understanding
from shared.enquiry import EnquiryFields

DAY = dt.date(2026, 11, 26)


def _read(engine: RoutingEngine, message: str, **fields: Any) -> Understanding:
    return engine.reader.read(EnquiryFields.model_validate({"message": message, **fields}))


@pytest.mark.parametrize(
    "message",
    [
        "Hi, we are moving to Gifhorn in spring with our two kids (2 and 6). We have no "
        "address yet. How do we get a kindergarten place, and can we apply before we register?",
        "Hallo, wir haben zwei Kinder und ziehen im Mai nach Peine. Wir haben schon drei "
        "Absagen von Kitas bekommen. Gibt es eine Stelle, die bei der Kita-Suche hilft?",
    ],
    ids=["en", "de"],
)
def test_a_family_writing_we_is_a_household_asking_about_living(
    engine: RoutingEngine, message: str
) -> None:
    u = _read(engine, message)
    assert (u.requester_type, u.primary_topic) == ("worker", "living")


@pytest.mark.parametrize(
    "message",
    [
        "I work in Salzgitter on an EU Blue Card (section 18b, work residence permit). My wife "
        "and daughter are still in Accra. Does my wife need the A1 certificate to join me?",
        "Ich arbeite mit Blauer Karte nach §18b in Wolfsburg. Ich möchte meine Frau und meinen "
        "Sohn aus Amman zu mir holen. Braucht meine Frau dafür das A1-Zertifikat?",
    ],
    ids=["en", "de"],
)
def test_bringing_the_family_is_living_whatever_permit_the_worker_names(
    engine: RoutingEngine, message: str
) -> None:
    u = _read(engine, message)
    assert u.requester_type == "worker"
    assert u.primary_topic == "living"


@pytest.mark.parametrize(
    "message",
    [
        "Hello, I run a small bakery in Seesen with four staff. I would like to bring a baker "
        "from Ghana over. What do I have to do as the employer?",
        "Moin, ich habe einen Dachdeckerbetrieb in Helmstedt (sechs Mitarbeiter). Ein Geselle "
        "aus Serbien möchte bei mir anfangen. Was muss ich als Arbeitgeber tun?",
        "Merhaba, Gifhorn'da bir restoranım var, 6 çalışanım var. Türkiye'den bir aşçı "
        "getirmek istiyorum. İşveren olarak ne yapmam gerekiyor?",
    ],
    ids=["en", "de", "tr"],
)
def test_an_owner_who_never_says_company_is_an_employer(
    engine: RoutingEngine, message: str
) -> None:
    u = _read(engine, message)
    assert (u.requester_type, u.primary_topic) == ("employer", "employer_hiring")


@pytest.mark.parametrize(
    "message",
    [
        "I have lived in Germany for seven years. How do I apply for German citizenship?",
        "Kann ich meinen ägyptischen Führerschein umschreiben lassen oder muss ich in die "
        "Fahrschule?",
        "I worked in Peine for four years and I am leaving. Can I get my pension "
        "contributions back?",
        "Muss ich als Angestellte eine Steuererklärung machen? Welche Steuerklasse ist besser?",
    ],
    ids=["citizenship", "driving licence", "pension", "taxes"],
)
def test_questions_outside_the_topic_list_are_other(engine: RoutingEngine, message: str) -> None:
    assert _read(engine, message).topics == ("other",)


def test_a_long_story_is_read_by_its_question(engine: RoutingEngine) -> None:
    story = (
        "I studied civil engineering in Lahore and worked for six years on road projects. "
        "Then I moved to Qatar and worked as a site engineer on stadium construction, long "
        "hours in the heat. My wife is a teacher and we have two children. Last year I got "
        "a job offer and came to Braunschweig on a Blue Card; my employer is very supportive "
        "and my salary is fine. My German is at A2 and I study every evening with an app. "
    ) * 3
    question = "My question: where can I find a B1 German course in the evening or on weekends?"
    u = _read(engine, story + question)
    assert u.primary_topic == "language"


def test_an_english_is_does_not_count_as_the_turkish_word_for_work(
    engine: RoutingEngine,
) -> None:
    u = _read(engine, "Is there a German course on Saturdays? Is it free? Is B1 possible?")
    assert u.primary_topic == "language"
    assert not any(r.startswith("topic labour_market") for r in u.reasons)


def test_russian_in_latin_letters_is_russian(engine: RoutingEngine) -> None:
    u = _read(engine, "Zdravstvuyte, u menya vopros pro Blue Card: ya inzhener, mne nuzhna rabota.")
    assert u.language == "ru"
    assert u.primary_topic == "labour_market"


def test_a_language_nobody_speaks_is_named_and_needs_an_interpreter(
    engine: RoutingEngine,
) -> None:
    fields = EnquiryFields.model_validate(
        {
            "message": "Jó napot! Ápolónő vagyok Debrecenből, és szeretném elismertetni a "
            "diplomámat Németországban. Hogyan kezdjem el?",
            "city": "Wolfsburg",
        }
    )
    line = Ledger(engine.directory).decide(engine, fields, day=DAY).as_line("hu")
    assert line["language"] == "hu"
    assert line["primary_topic"] == "recognition"
    assert line["needs_interpreter"] is True
    assert line["reasons"][0] == "language hu (detected; outside the region's languages)"


def test_a_greeting_alone_is_unsure_and_says_why(engine: RoutingEngine) -> None:
    fields = EnquiryFields.model_validate({"message": "Hello"})
    line = Ledger(engine.directory).decide(engine, fields, day=DAY).as_line(1)
    assert line["language"] == "en"
    assert line["unsure"] == ["language", "topic"]
    assert line["language_confidence"] < 0.5
    assert line["topic_confidence"] == 0.0
    assert line["reasons"][0].startswith("language en unsure (")
    assert "German and English" in line["reasons"][0]
    assert "topic unsure (0.00): no clear topic" in line["reasons"]


def test_a_clear_enquiry_is_sure(engine: RoutingEngine) -> None:
    u = _read(
        engine,
        "Guten Tag, ich bin Krankenschwester aus Tunesien. Wie läuft die Anerkennung meines "
        "Diploms in Niedersachsen, und welche Unterlagen brauche ich?",
    )
    assert u.unsure == ()
    assert u.language_confidence > 0.9
    assert u.topic_confidence > 0.8
    assert not any("unsure" in r for r in u.reasons)


def test_a_close_call_between_topics_is_flagged_with_both_scores(engine: RoutingEngine) -> None:
    u = _read(engine, "Integrationskurs oder Ausbildung?")
    assert "topic" in u.unsure
    weak = [r for r in u.reasons if r.startswith("topic unsure")]
    assert len(weak) == 1
    assert " against " in weak[0]


@pytest.mark.parametrize(
    ("message", "employer"),
    [
        ("Notre cabinet à Wolfsburg (12 salariés) souhaite embaucher une comptable.", True),
        ("Unsere Küche hat 14 Mitarbeiter, wir brauchen noch zwei Köche aus dem Ausland.", True),
        ("I work in a warehouse with 200 workers and I want to change my job.", False),
    ],
)
def test_a_business_counting_its_staff_is_an_employer_unless_a_person_writes(
    engine: RoutingEngine, message: str, employer: bool
) -> None:
    u = _read(engine, message)
    assert (u.requester_type == "employer") is employer


@pytest.mark.parametrize(
    "message",
    [
        "I work in a restaurant in Goslar as a cook. My boss does not pay overtime. What are my "
        "rights?",
        "My company wants me to sign a new contract with less salary. Can they do that?",
        "Meine Firma will mir kündigen, weil ich krank war. Ist das erlaubt?",
        "bizim firmada fazla mesai ödenmiyor, haklarım neler?",
        "أعمل في مطعم في براونشفايغ وصاحب المطعم لا يدفع لي الراتب كاملا. ماذا أفعل؟",
    ],
    ids=["en restaurant", "en my company", "de meine Firma", "tr bizim firma", "ar"],
)
def test_a_person_naming_where_they_work_is_no_employer(
    engine: RoutingEngine, message: str
) -> None:
    u = _read(engine, message)
    assert (u.requester_type, u.primary_topic) == ("worker", "labour_market")


@pytest.mark.parametrize(
    "message",
    [
        "We run a small family bakery in Peine and would like to hire a baker from Vietnam.",
        "Wir haben eine kleine Tischlerei in Gifhorn und suchen einen Tischler aus dem Ausland.",
        "Temos uma pequena construtora em Salzgitter e queremos contratar pedreiros do Brasil.",
    ],
    ids=["en", "de", "pt"],
)
def test_an_owner_naming_their_business_is_an_employer(engine: RoutingEngine, message: str) -> None:
    u = _read(engine, message)
    assert (u.requester_type, u.primary_topic) == ("employer", "employer_hiring")
    assert any(r.startswith("employer, writes as a company") for r in u.reasons)
