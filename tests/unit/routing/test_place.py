"""District and site: postal code, then city, then a town the message names; preferred site wins."""

from __future__ import annotations

from typing import Any

import pytest

from services.routing.engine import RoutingEngine
from services.routing.place import read_place
from services.routing.understand import Understanding
from shared.directory import Directory
from shared.enquiry import EnquiryFields
from shared.region import Region
from shared.text import fold


def _read(engine: RoutingEngine, **fields: Any) -> Understanding:
    return engine.reader.read(EnquiryFields.model_validate(fields))


# --- from the form's fields (no message text needed) ---------------------------------------


def _place(region: Region, directory: Directory, **fields: Any) -> tuple[str | None, str | None]:
    enquiry = EnquiryFields.model_validate({"message": "Guten Tag", **fields})
    reading = read_place(
        enquiry,
        region=region,
        directory=directory,
        original_text="Guten Tag",
        folded_text="guten tag",
        hits=[],
    )
    return reading.district, reading.site


@pytest.mark.parametrize(
    ("postal_code", "district", "site"),
    [
        ("38100", "braunschweig", "braunschweig"),
        ("38162", "wolfenbuettel", "braunschweig"),
        ("37444", "goslar", "braunschweig"),
        ("38440", "wolfsburg", "wolfsburg"),
        ("38154", "helmstedt", "wolfsburg"),
        ("38179", "gifhorn", "wolfsburg"),
    ],
)
def test_postal_code_gives_district_and_site(
    region: Region, demo_directory: Directory, postal_code: str, district: str, site: str
) -> None:
    assert _place(region, demo_directory, postal_code=postal_code) == (district, site)


def test_postal_code_beats_city(region: Region, demo_directory: Directory) -> None:
    found = _place(region, demo_directory, postal_code="38440", city="Braunschweig")
    assert found == ("wolfsburg", "wolfsburg")


@pytest.mark.parametrize("city", ["Wolfenbüttel", "wolfenbuettel", "WOLFENBUTTEL"])
def test_city_when_there_is_no_postal_code(
    region: Region, demo_directory: Directory, city: str
) -> None:
    assert _place(region, demo_directory, city=city) == ("wolfenbuettel", "braunschweig")


def test_city_when_the_postal_code_is_not_in_the_region(
    region: Region, demo_directory: Directory
) -> None:
    assert _place(region, demo_directory, postal_code="10115", city="Gifhorn") == (
        "gifhorn",
        "wolfsburg",
    )


@pytest.mark.parametrize(
    "fields", [{"city": "Berlin"}, {"postal_code": "10115"}, {"city": "Lagos", "country": "NG"}]
)
def test_place_outside_the_region_gives_no_district(
    region: Region, demo_directory: Directory, fields: dict[str, str]
) -> None:
    assert _place(region, demo_directory, **fields) == (None, None)


def test_preferred_site_beats_the_district(region: Region, demo_directory: Directory) -> None:
    found = _place(region, demo_directory, postal_code="38440", preferred_site="braunschweig")
    assert found == ("wolfsburg", "braunschweig")


def test_preferred_site_without_any_place(region: Region, demo_directory: Directory) -> None:
    assert _place(region, demo_directory, preferred_site="wolfsburg") == (None, "wolfsburg")


def test_unknown_preferred_site_is_ignored(region: Region, demo_directory: Directory) -> None:
    found = _place(region, demo_directory, postal_code="38100", preferred_site="hamburg")
    assert found == ("braunschweig", "braunschweig")


def test_reasons_say_where_the_district_came_from(
    region: Region, demo_directory: Directory
) -> None:
    enquiry = EnquiryFields(message="Hallo", postal_code="38440", preferred_site="braunschweig")
    reading = read_place(
        enquiry,
        region=region,
        directory=demo_directory,
        original_text="Hallo",
        folded_text=fold("Hallo"),
        hits=[],
    )
    assert reading.reasons == (
        "district wolfsburg from postal code 38440",
        "site braunschweig chosen by the enquirer",
    )


# --- from the message, through the reader --------------------------------------------------


def test_town_named_in_the_message(engine: RoutingEngine) -> None:
    u = _read(engine, message="Hello, I live in Salzgitter and need help finding a German course.")
    assert (u.district, u.site) == ("salzgitter", "braunschweig")
    assert "district salzgitter: Salzgitter (lives there) in the message" in u.reasons


def test_town_with_umlaut_written_as_digraph(engine: RoutingEngine) -> None:
    u = _read(engine, message="Hello, I just moved to Koenigslutter and look for a German course.")
    assert u.district == "helmstedt"


def test_signature_address_in_the_message(engine: RoutingEngine) -> None:
    message = (
        "Guten Tag,\nich suche einen Deutschkurs am Abend.\n\n"
        "Viele Grüße\nJana Novak\nPorschestraße 12\n38440 Wolfsburg"
    )
    u = _read(engine, message=message)
    assert (u.district, u.site) == ("wolfsburg", "wolfsburg")
    assert "district wolfsburg: address with postal code 38440 in the message" in u.reasons


def test_signature_address_beats_a_town_named_earlier(engine: RoutingEngine) -> None:
    message = (
        "Hello, I studied in Braunschweig years ago and now look for a German course.\n"
        "Best regards\nTom\nBahnhofstraße 3\n38518 Gifhorn"
    )
    assert _read(engine, message=message).district == "gifhorn"


def test_fields_beat_the_message(engine: RoutingEngine) -> None:
    u = _read(engine, city="Peine", message="Hello, I used to live in Wolfsburg. German course?")
    assert u.district == "peine"


def test_city_outside_the_region_is_not_overridden_by_the_message(
    engine: RoutingEngine,
) -> None:
    u = _read(engine, city="Berlin", message="Hello, I might move to Wolfsburg next year.")
    assert (u.district, u.site) == (None, None)
    assert "district unknown: Berlin is not in the region" in u.reasons


def test_message_without_a_town_of_the_region(engine: RoutingEngine) -> None:
    u = _read(engine, message="Hello, I am a nurse in Manila and want to work in Germany.")
    assert (u.district, u.site) == (None, None)
    assert "district unknown: no town of the region named as the enquirer's place" in u.reasons


def test_university_town_is_not_where_the_enquirer_lives(engine: RoutingEngine) -> None:
    u = _read(engine, message="I want to apply to TU Braunschweig. I live in Nairobi.")
    assert u.district is None
    u = _read(engine, message="Ich studiere an der TU Braunschweig und wohne in Gifhorn.")
    assert u.district == "gifhorn"


def test_preferred_site_beats_a_town_in_the_message(engine: RoutingEngine) -> None:
    u = _read(engine, preferred_site="braunschweig", message="Hi, I live in Wolfsburg.")
    assert (u.district, u.site) == ("wolfsburg", "braunschweig")


# --- town names that are also words, and towns inside institutions' names ---


def test_german_possessive_is_not_the_town_meine(engine: RoutingEngine) -> None:
    u = _read(engine, message="Ich möchte meine Zeugnisse anerkennen lassen.")
    assert u.district is None


def test_teacher_is_not_the_town_lehre(engine: RoutingEngine) -> None:
    u = _read(engine, message="Ich bin Lehrerin aus Syrien und brauche eine Anerkennung.")
    assert u.district is None


def test_university_town_after_cjk_text_is_not_where_the_enquirer_lives(
    engine: RoutingEngine,
) -> None:
    u = _read(engine, message="您好，我想申请TU Braunschweig的Master。")
    assert u.district is None


def test_town_that_is_also_a_word_counts_when_written_as_a_name(engine: RoutingEngine) -> None:
    u = _read(engine, message="Guten Tag, ich suche einen Deutschkurs in der Nähe von Meine.")
    assert u.district == "gifhorn"


def test_town_named_only_as_someone_elses_place_does_not_count(engine: RoutingEngine) -> None:
    u = _read(
        engine,
        country="Kazakhstan",
        message="Здравствуйте. Я сварщик. Мой двоюродный брат живет в Вольфсбурге. "
        "Какая виза мне нужна?",
    )
    assert u.district is None
