"""The directory's forms without a database: a posted form becomes directory data, and the
model's faults land beside the field they are about."""

from __future__ import annotations

from services.desk.admin.faults import entry_faults
from services.desk.admin.fields import FORMS, date_rows, values_from_form
from shared.directory.loader import check_directory


def test_a_posted_manager_form_becomes_directory_data() -> None:
    form = {
        "name": ["  Oksana Wiśniewska "],
        "email": ["oksana@example.org"],
        "site": ["wolfsburg"],
        "languages": ["de, en;uk  pl,"],
        "topics": ["language", "recognition"],
        "capacity": ["7"],
        "active": ["on"],
        "absences.0.from": ["2026-12-21"],
        "absences.0.to": ["2027-01-03"],
        "absences.1.from": [""],
        "absences.1.to": [""],
        "absences.2.from": ["2027-02-01"],
        "csrf_token": ["ignored"],
    }
    fields = tuple(f for f in FORMS["managers"] if f.kind != "key")
    assert values_from_form(fields, form) == {
        "name": "Oksana Wiśniewska",
        "email": "oksana@example.org",
        "site": "wolfsburg",
        "languages": ["de", "en", "uk", "pl"],
        "topics": ["language", "recognition"],
        "capacity": "7",
        "active": True,
        "absences": [{"from": "2026-12-21", "to": "2027-01-03"}, {"from": "2027-02-01"}],
    }
    assert values_from_form(fields, {})["active"] is False


def test_rows_keep_their_order_and_odd_names_are_ignored() -> None:
    form = {
        "absences.10.from": ["2027-03-01"],
        "absences.10.to": ["2027-03-02"],
        "absences.2.from": ["2027-01-01"],
        "absences.2.to": ["2027-01-02"],
        "absences.x.from": ["2027-05-05"],
        "absences.99999.from": ["2027-06-06"],
        "absences.1.from.more": ["2027-07-07"],
    }
    assert date_rows(form, "absences") == [
        {"from": "2027-01-01", "to": "2027-01-02"},
        {"from": "2027-03-01", "to": "2027-03-02"},
    ]


def _data() -> dict[str, list[dict[str, object]]]:
    return {
        "sites": [
            {"code": "bs", "name": "BS", "team_email": "bs@example.org", "districts": ["a"]},
            {"code": "wob", "name": "WOB", "team_email": "wob@example.org", "districts": ["b"]},
        ],
        "managers": [
            {
                "id": "m-01",
                "name": "Anna",
                "email": "anna@example.org",
                "site": "bs",
                "languages": ["de", "xx"],
                "capacity": "-1",
                "absences": [{"from": "2027-01-05", "to": "2027-01-01"}, {"from": "2027-02-01"}],
            }
        ],
        "partners": [],
    }


def test_faults_of_the_edited_entry_go_beside_their_fields() -> None:
    data = _data()
    directory, faults = check_directory(data, frozenset({"a", "b"}))
    assert directory is None
    error = entry_faults(faults, section="managers", index=0, data=data, rows=["absences"])
    assert error.general == []
    assert error.fields["languages"] == "languages[1]: 'xx' is not an ISO 639-1 language code"
    assert "greater than or equal to 0" in error.fields["capacity"]
    assert "ends (2027-01-01) before it starts" in error.fields["absences.0"]
    assert error.fields["absences.1"] == "absences[1].to: required field is missing"


def test_a_fault_of_another_entry_is_said_with_its_name() -> None:
    data = _data()
    data["managers"][0].update(languages=["de"], capacity=3, absences=[])
    data["sites"][0]["districts"] = ["a", "c"]  # not the edited entry
    _, faults = check_directory(data, frozenset({"a", "b"}))
    error = entry_faults(faults, section="managers", index=0, data=data)
    assert error.fields == {}
    assert error.general == ["sites[0] (code bs): districts[1]: unknown district 'c'"]
