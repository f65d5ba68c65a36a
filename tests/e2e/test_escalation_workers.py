"""Policy rule 8 with the real workers and a real SMTP server, time driven by
`welcomedesk escalate --at`: the reminder, then the reassignment to another manager with
the team told, each mail once; a second run, or two runs at once, do nothing twice."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from shared.db.models import EnquiryRow, ManagerRow
from tests.support.stack import Stack, build_stack, enquiry, enquiry_by_reference
from tests.support.system import at_once, wait_until

BERLIN = ZoneInfo("Europe/Berlin")
# Wolfsburg keeps the default hours, Monday to Friday 09:00-17:00.
FRIDAY_AFTERNOON = dt.datetime(2026, 12, 4, 15, 0, tzinfo=BERLIN)
HALF_TIME = "2026-12-07T11:00:00+01:00"  # Friday 2 h + Monday 2 h
THE_LIMIT = "2026-12-07T15:00:00+01:00"  # Friday 2 h + Monday 6 h
WOLFSBURG = {"postal_code": "38440", "subject": "Anerkennung"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(
        tmp_path_factory.mktemp("escalation"),
        postgres_admin,
        processes=("intake", "routing", "notifications", "relay"),
    ) as built:
        yield built


def _assigned_on_friday(stack: Stack) -> Any:
    answer = stack.system.post(enquiry(f"p.{uuid.uuid4().hex[:8]}@example.net", **WOLFSBURG))
    assert answer.status_code == 202, answer.text
    reference = str(answer.json()["reference"])

    def routed() -> Any:
        row = enquiry_by_reference(stack.db, reference)
        return row if row is not None and row.status == "assigned" else None

    case = wait_until(routed, timeout=30, what=f"{reference} assigned")
    assert case.site == "wolfsburg"
    with Session(stack.db) as session, session.begin():
        session.execute(
            update(EnquiryRow)
            .where(EnquiryRow.reference == reference)
            .values(assigned_at=FRIDAY_AFTERNOON)
        )
    return case


def _escalate(stack: Stack, at: str, *extra: str) -> list[dict[str, Any]]:
    done = stack.system.cli("escalate", "--at", at, *extra)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _mine(lines: list[dict[str, Any]], reference: str) -> list[dict[str, Any]]:
    return [line for line in lines if line["reference"] == reference]


def _email(stack: Stack, manager_id: str) -> str:
    with Session(stack.db) as session:
        manager = session.get(ManagerRow, manager_id)
        assert manager is not None
        return manager.email


def _mails_to(stack: Stack, reference: str, address: str, subject: str) -> list[Any]:
    return [
        r
        for r in stack.smtp.with_reference(reference)
        if address in r.rcpt_tos and subject in str(r.message["Subject"])
    ]


def test_reminder_then_reassignment_and_the_team_told_each_once(stack: Stack) -> None:
    case = _assigned_on_friday(stack)
    reference, first = case.reference, case.manager_id
    reminded = _mine(_escalate(stack, HALF_TIME), reference)
    assert reminded == [
        {
            "reference": reference,
            "action": "reminder",
            "from": first,
            "to": first,
            "reason": "not accepted after 4 of 8 office hours",
            "site": "wolfsburg",
        }
    ]
    assert _mine(_escalate(stack, HALF_TIME), reference) == []
    wait_until(
        lambda: _mails_to(stack, reference, _email(stack, first), "Erinnerung"),
        timeout=30,
        what="the reminder at the SMTP server",
    )
    dry = _mine(_escalate(stack, THE_LIMIT, "--dry-run"), reference)
    assert [(d["action"], d["from"]) for d in dry] == [("reassigned", first)]
    assert enquiry_by_reference(stack.db, reference).manager_id == first  # type: ignore[union-attr]

    moved = _mine(_escalate(stack, THE_LIMIT), reference)
    assert moved == dry
    successor = moved[0]["to"]
    assert successor not in (None, first)
    assert moved[0]["reason"] == "not accepted within 8 office hours"
    assert _mine(_escalate(stack, THE_LIMIT), reference) == []
    row = enquiry_by_reference(stack.db, reference)
    assert row is not None and (row.status, row.manager_id) == ("assigned", successor)
    assert row.reasons[0] == "not accepted within 8 office hours"
    wait_until(
        lambda: _mails_to(stack, reference, _email(stack, successor), "New enquiry"),
        timeout=30,
        what="the case mail to the next manager",
    )
    team = wait_until(
        lambda: _mails_to(stack, reference, "team-wob@example.org", "Reassigned"),
        timeout=30,
        what="the team's notice",
    )
    body = team[0].message.get_body(("plain",))
    assert body is not None and "nicht innerhalb von 8 Bürostunden" in body.get_content()
    # Nothing more comes: one reminder, one case mail to the successor, one team notice.
    wait_until(lambda: stack.smtp.with_reference(reference), timeout=5)
    assert len(_mails_to(stack, reference, _email(stack, first), "Erinnerung")) == 1
    assert len(_mails_to(stack, reference, _email(stack, successor), "New enquiry")) == 1
    assert len(_mails_to(stack, reference, "team-wob@example.org", "Reassigned")) == 1


def test_two_runs_at_once_remind_once(stack: Stack) -> None:
    case = _assigned_on_friday(stack)
    outputs = at_once(lambda: _escalate(stack, "2026-12-07T11:30:00+01:00"))
    lines = [line for out in outputs for line in _mine(out, case.reference)]
    assert [line["action"] for line in lines] == ["reminder"]
    address = _email(stack, case.manager_id)
    wait_until(lambda: _mails_to(stack, case.reference, address, "Erinnerung"), timeout=30)
    assert len(_mails_to(stack, case.reference, address, "Erinnerung")) == 1
