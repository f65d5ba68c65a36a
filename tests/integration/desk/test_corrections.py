"""Correcting what was understood: kept with who and when, used for partner suggestions,
and exported as a labelled corpus in `welcomedesk route`'s input format."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.desk.cases import corrections
from services.desk.cases.errors import InvalidInputError
from services.routing.engine import RoutingEngine
from services.routing.suggestions import refresh_suggestions
from shared.db.models import CaseHistoryRow, OutboxRow
from shared.directory.store import read_directory
from shared.enquiry import RouteRequest
from shared.events import REFRESH_SUGGESTIONS
from shared.region import load_region
from tests.support.cases import ADMIN, case_row, manager, new_case

Sessions = sessionmaker[Session]


def test_a_correction_keeps_before_after_who_and_when(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted", company="Pflege GmbH")
    with sessions.begin() as session:
        done = corrections.correct(
            session,
            staff=manager("m-01"),
            reference=ref,
            version=1,
            language="uk",
            requester_type="employer",
            topics=["employer_hiring", "recognition", "employer_hiring"],
        )
    assert done.done == "corrected"
    row = case_row(sessions, ref)
    assert (row.language, row.understood_type, row.topics) == (
        "uk",
        "employer",
        ["employer_hiring", "recognition"],
    )
    assert row.corrected_by == "m-01@example.org" and row.corrected_at is not None
    assert row.version == 2
    with sessions() as session:
        entry = session.scalar(
            select(CaseHistoryRow).where(
                CaseHistoryRow.enquiry_id == row.id, CaseHistoryRow.action == "corrected"
            )
        )
        event = session.get(OutboxRow, done.outbox_ids[0])
    assert entry is not None and entry.details == {
        "before": {"language": "en", "requester_type": None, "topics": ["recognition"]},
        "after": {
            "language": "uk",
            "requester_type": "employer",
            "topics": ["employer_hiring", "recognition"],
        },
    }
    assert event is not None and event.task == REFRESH_SUGGESTIONS


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"language": "xx1"}, "language"),
        ({"language": "qq"}, "language"),
        ({"requester_type": "family"}, "requester_type"),
        ({"topics": ["cooking"]}, "topics"),
        ({"topics": []}, "topics"),
        ({}, "language"),
    ],
)
def test_a_wrong_correction_names_its_field(
    sessions: Sessions, change: dict[str, object], field: str
) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted")
    with pytest.raises(InvalidInputError) as wrong, sessions.begin() as session:
        corrections.correct(
            session,
            staff=ADMIN,
            reference=ref,
            version=1,
            **change,  # type: ignore[arg-type]
        )
    assert wrong.value.field == field
    assert case_row(sessions, ref).version == 1


def test_suggestions_follow_the_corrected_topics(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-04", status="accepted", site="wolfsburg")
    with sessions.begin() as session:
        corrections.correct(
            session,
            staff=ADMIN,
            reference=ref,
            version=1,
            topics=["employer_hiring"],
            requester_type="employer",
        )
    row = case_row(sessions, ref)
    with sessions() as session:
        directory = read_directory(session)
    engine = RoutingEngine(directory, load_region())
    with sessions.begin() as session:
        chosen = refresh_suggestions(session, enquiry_id=row.id, engine=engine)
    fitting = {
        p.id
        for p in directory.partners
        if "employer_hiring" in p.topics and "employer" in p.target_groups
    }
    assert chosen and set(chosen) <= fitting
    assert case_row(sessions, ref).suggested_partners == chosen


def test_corrected_cases_are_route_input_with_their_labels(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-02", status="accepted", subject="Kita", phone="0531 1")
    with sessions.begin() as session:
        corrections.correct(
            session, staff=ADMIN, reference=ref, version=1, topics=["living", "language"]
        )
    with sessions() as session:
        lines = {line["id"]: line for line in corrections.corrected_cases(session)}
        with_contacts = {
            line["id"]: line for line in corrections.corrected_cases(session, with_contacts=True)
        }
    line = lines[ref]
    assert line["expect"]["topics"] == ["living", "language"]
    assert line["expect"]["primary_ok"] == ["living"]
    assert "email" not in line and "phone" not in line and "name" not in line
    assert with_contacts[ref]["phone"] == "0531 1"
    parsed = RouteRequest.model_validate({k: v for k, v in line.items() if k != "expect"})
    assert parsed.message and parsed.id == ref
    assert json.loads(json.dumps(line, ensure_ascii=False)) == line
