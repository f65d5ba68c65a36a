"""The case lifecycle's use cases on PostgreSQL: each change with its history entry, its
version guard and the events it calls for; who may do what."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from services.desk.cases import lifecycle
from services.desk.cases.errors import (
    ActionRefusedError,
    CaseError,
    CaseNotFoundError,
    ForbiddenError,
    InvalidInputError,
    StaleVersionError,
    VersionRequiredError,
)
from services.desk.staff import Staff
from services.routing import reassign
from services.routing.engine import RoutingEngine
from services.routing.service import current_loads
from shared.db.models import (
    CaseHistoryRow,
    CaseMessageRow,
    EnquiryRow,
    ManagerRow,
    OutboxRow,
    ReferralRow,
)
from shared.directory.store import read_directory
from shared.events import REASSIGN_CASE, SEND_MAIL
from shared.region import load_region
from tests.support.cases import ADMIN, case_row, mails_of, manager, new_case

Sessions = sessionmaker[Session]


def _do(sessions: Sessions, change: Callable[[Session], lifecycle.Changed]) -> lifecycle.Changed:
    with sessions.begin() as session:
        return change(session)


def _history(sessions: Sessions, reference: str) -> list[tuple[str, str]]:
    with sessions() as session:
        rows = session.execute(
            select(CaseHistoryRow.actor, CaseHistoryRow.action)
            .join(EnquiryRow, EnquiryRow.id == CaseHistoryRow.enquiry_id)
            .where(EnquiryRow.reference == reference)
            .order_by(CaseHistoryRow.id)
        )
        return [(actor, action) for actor, action in rows]


def _deliveries(sessions: Sessions, reference: str) -> list[tuple[str, str]]:
    return mails_of(sessions, reference)


def test_accept_bumps_the_version_and_keeps_who_and_when(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="assigned")
    done = _do(
        sessions, lambda s: lifecycle.accept(s, staff=manager("m-01"), reference=ref, version=1)
    )
    assert done.done == "accepted"
    row = case_row(sessions, ref)
    assert (row.status, row.version) == ("accepted", 2)
    assert row.accepted_at is not None
    assert _history(sessions, ref) == [("m-01@example.org", "accepted")]


def test_a_stale_or_missing_version_changes_nothing(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="assigned")
    with pytest.raises(StaleVersionError) as stale:
        _do(
            sessions, lambda s: lifecycle.accept(s, staff=manager("m-01"), reference=ref, version=7)
        )
    assert "changed by someone else" in stale.value.message and stale.value.status_code == 409
    with pytest.raises(VersionRequiredError):
        _do(
            sessions,
            lambda s: lifecycle.accept(s, staff=manager("m-01"), reference=ref, version=None),
        )
    row = case_row(sessions, ref)
    assert (row.status, row.version) == ("assigned", 1)
    assert _history(sessions, ref) == []


def test_two_managers_at_once_one_wins_one_hears_of_it(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def close(outcome: str) -> None:
        start.wait()
        try:
            _do(
                sessions,
                lambda s: lifecycle.close(
                    s, staff=manager("m-01"), reference=ref, version=1, outcome=outcome
                ),
            )
            outcomes.append("closed")
        except StaleVersionError:
            outcomes.append("stale")

    threads = [threading.Thread(target=close, args=(o,)) for o in ("advised", "duplicate")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["closed", "stale"]
    assert [a for _, a in _history(sessions, ref)] == ["closed"]


def test_a_case_of_another_manager_or_site_does_not_exist(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="assigned")
    for other in (manager("m-02"), manager("m-03")):

        def accept(s: Session, who: Staff = other) -> lifecycle.Changed:
            return lifecycle.accept(s, staff=who, reference=ref, version=1)

        def refer(s: Session, who: Staff = other) -> lifecycle.Changed:
            return lifecycle.refer(s, staff=who, reference=ref, partner_id="p-01")

        for change in (accept, refer):
            with pytest.raises(CaseNotFoundError):
                _do(sessions, change)
    assert _deliveries(sessions, ref) == []


def test_a_site_manager_takes_from_triage_others_do_not_see_it(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id=None, status="triage", site="braunschweig")
    with pytest.raises(CaseNotFoundError):
        _do(sessions, lambda s: lifecycle.take(s, staff=manager("m-03"), reference=ref, version=1))
    with pytest.raises(ForbiddenError):  # an administrator assigns; only a manager takes
        _do(sessions, lambda s: lifecycle.take(s, staff=ADMIN, reference=ref, version=1))
    with pytest.raises(ForbiddenError):  # in triage: take it first
        _do(
            sessions, lambda s: lifecycle.accept(s, staff=manager("m-02"), reference=ref, version=1)
        )
    _do(sessions, lambda s: lifecycle.take(s, staff=manager("m-02"), reference=ref, version=1))
    row = case_row(sessions, ref)
    assert (row.status, row.manager_id, row.version) == ("accepted", "m-02", 2)
    assert _history(sessions, ref) == [("m-02@example.org", "taken")]


def test_reassign_to_a_named_manager_mails_them(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted")
    with pytest.raises(ActionRefusedError):  # the same one
        _do(
            sessions,
            lambda s: lifecycle.reassign(
                s, staff=manager("m-01"), reference=ref, version=1, manager_id="m-01"
            ),
        )
    with pytest.raises(InvalidInputError) as unknown:
        _do(
            sessions,
            lambda s: lifecycle.reassign(
                s, staff=manager("m-01"), reference=ref, version=1, manager_id="m-99"
            ),
        )
    assert unknown.value.field == "manager_id"
    done = _do(
        sessions,
        lambda s: lifecycle.reassign(
            s,
            staff=manager("m-01"),
            reference=ref,
            version=1,
            manager_id="m-03",
            reason="speaks uk",
        ),
    )
    row = case_row(sessions, ref)
    assert (row.status, row.manager_id, row.accepted_at) == ("assigned", "m-03", None)
    assert _deliveries(sessions, ref) == [("manager", "oksana.wisniewska@example.org")]
    with sessions() as session:
        event = session.get(OutboxRow, done.outbox_ids[0])
        assert event is not None and event.task == SEND_MAIL
        entry = session.scalar(select(CaseHistoryRow).where(CaseHistoryRow.enquiry_id == row.id))
        assert entry is not None
        assert (entry.action, entry.details, entry.text) == (
            "reassigned",
            {"from": "m-01", "to": "m-03"},
            "speaks uk",
        )


def test_reassign_refuses_a_manager_at_capacity_or_inactive(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted")
    with sessions.begin() as session:
        m02 = session.get(ManagerRow, "m-02")
        assert m02 is not None
        m02.capacity = 0
    try:
        with pytest.raises(ActionRefusedError) as full:
            _do(
                sessions,
                lambda s: lifecycle.reassign(
                    s, staff=manager("m-01"), reference=ref, version=1, manager_id="m-02"
                ),
            )
        assert "at capacity" in full.value.message
    finally:
        with sessions.begin() as session:
            m02 = session.get(ManagerRow, "m-02")
            assert m02 is not None
            m02.capacity = 20
    assert case_row(sessions, ref).manager_id == "m-01"


def test_reassign_to_the_next_manager_asks_routing_which_never_goes_back(
    sessions: Sessions,
) -> None:
    ref = new_case(sessions, manager_id="m-01", status="accepted", site="braunschweig")
    done = _do(
        sessions,
        lambda s: lifecycle.reassign(
            s, staff=manager("m-01"), reference=ref, version=1, manager_id=None
        ),
    )
    row = case_row(sessions, ref)
    assert (row.status, row.manager_id, row.routing_request) == (
        "received",
        None,
        row.routing_request,
    )
    assert row.routing_request is not None
    with sessions() as session:
        event = session.get(OutboxRow, done.outbox_ids[0])
        assert event is not None and event.task == REASSIGN_CASE
        assert event.payload["previous_manager"] == "m-01"
        engine = RoutingEngine(read_directory(session), load_region())
    with sessions.begin() as session:
        first = reassign.reassign_case(
            session,
            enquiry_id=event.payload["enquiry_id"],
            request_id=event.payload["request_id"],
            previous_manager="m-01",
            engine=engine,
        )
    with sessions.begin() as session:
        again = reassign.reassign_case(
            session,
            enquiry_id=event.payload["enquiry_id"],
            request_id=event.payload["request_id"],
            previous_manager="m-01",
            engine=engine,
        )
    assert first.outcome == "assigned" and first.manager_id not in (None, "m-01")
    assert again.outcome == "already"
    row = case_row(sessions, ref)
    assert (row.status, row.manager_id, row.routing_request) == (
        "assigned",
        first.manager_id,
        None,
    )
    assert row.reasons[0] == "reassigned: not back to m-01"
    assert [kind for kind, _ in _deliveries(sessions, ref)] == ["manager"]
    assert [a for _, a in _history(sessions, ref)] == ["reassign_requested", "reassigned"]


def test_refer_needs_consent_and_sends_once(sessions: Sessions) -> None:
    refused = new_case(sessions, manager_id="m-01", status="accepted", consent_referral=False)
    with pytest.raises(ActionRefusedError) as no_consent:
        _do(
            sessions,
            lambda s: lifecycle.refer(
                s, staff=manager("m-01"), reference=refused, partner_id="p-01"
            ),
        )
    assert "consented" in no_consent.value.message
    ref = new_case(sessions, manager_id="m-01", status="accepted")
    for _ in range(2):
        _do(
            sessions,
            lambda s: lifecycle.refer(s, staff=manager("m-01"), reference=ref, partner_id="p-01"),
        )
    # The partner's mail, and the enquirer told who got which of their data.
    assert [k for k, _ in _deliveries(sessions, ref)] == ["referral", "referral_notice"]
    with sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(ReferralRow)
            .join(EnquiryRow, EnquiryRow.id == ReferralRow.enquiry_id)
            .where(EnquiryRow.reference == ref)
        )
    assert count == 1
    with pytest.raises(InvalidInputError):
        _do(
            sessions,
            lambda s: lifecycle.refer(s, staff=ADMIN, reference=ref, partner_id="p-nobody"),
        )


def test_a_note_stays_internal(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id=None, status="triage", site="braunschweig")
    with pytest.raises(InvalidInputError):
        _do(
            sessions,
            lambda s: lifecycle.add_note(s, staff=manager("m-02"), reference=ref, text="  "),
        )
    _do(
        sessions,
        lambda s: lifecycle.add_note(
            s, staff=manager("m-02"), reference=ref, text="Called: no answer"
        ),
    )
    with sessions() as session:
        notes = session.scalars(
            select(CaseMessageRow)
            .join(EnquiryRow, EnquiryRow.id == CaseMessageRow.enquiry_id)
            .where(EnquiryRow.reference == ref)
        ).all()
    assert [(n.direction, n.kind, n.text) for n in notes] == [
        ("internal", "note", "Called: no answer")
    ]
    assert _deliveries(sessions, ref) == []
    assert case_row(sessions, ref).version == 1  # a note changes no state: no conflict


def test_close_names_a_wrong_outcome_and_frees_capacity_at_once(sessions: Sessions) -> None:
    ref = new_case(sessions, manager_id="m-04", status="waiting", site="wolfsburg")
    with pytest.raises(InvalidInputError) as wrong:
        _do(
            sessions,
            lambda s: lifecycle.close(
                s, staff=manager("m-04"), reference=ref, version=1, outcome="solved"
            ),
        )
    assert wrong.value.field == "outcome"
    with sessions() as session:
        before = current_loads(session)["m-04"].open_cases
    _do(
        sessions,
        lambda s: lifecycle.close(
            s, staff=manager("m-04"), reference=ref, version=1, outcome="advised"
        ),
    )
    with sessions() as session:
        after = current_loads(session).get("m-04")
    assert (after.open_cases if after else 0) == before - 1
    row = case_row(sessions, ref)
    assert (row.status, row.outcome) == ("closed", "advised")
    with pytest.raises(ActionRefusedError):
        _do(
            sessions,
            lambda s: lifecycle.close(
                s, staff=manager("m-04"), reference=ref, version=2, outcome="advised"
            ),
        )
    _do(sessions, lambda s: lifecycle.reopen(s, staff=manager("m-04"), reference=ref, version=2))
    row = case_row(sessions, ref)
    assert (row.status, row.outcome, row.closed_at, row.version) == ("accepted", None, None, 3)


def test_every_refusal_is_a_case_error_with_a_status() -> None:
    for error in (
        CaseNotFoundError("x"),
        StaleVersionError("WC-1", 1, 2),
        VersionRequiredError(),
        ActionRefusedError("x"),
        ForbiddenError("x"),
        InvalidInputError("x"),
    ):
        assert isinstance(error, CaseError)
        assert error.status_code in (403, 404, 409, 422, 428)
