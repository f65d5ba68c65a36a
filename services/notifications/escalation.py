"""The office-hours timers' mails (policy rule 8): staff mail, German then English, built
like the other staff mails from `compose`'s building blocks, with the timer's facts read
from its `escalations` row.

- `reminder`: to the manager of a case assigned and not yet accepted;
- `escalation`: to the site's team, a case reassigned at its limit;
- `triage_reminder`: to the site's team, a case waiting in triage too long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.notifications import labels
from services.notifications.compose import (
    CaseView,
    Sender,
    answerable_staff_message,
    case_context,
    primary_topic,
    staff_message,
    with_parts,
)
from services.notifications.deliveries import Delivery
from services.notifications.headers import header_text, mailbox
from shared.calendar import DEFAULT_ZONE
from shared.db.models import EscalationRow, ManagerRow, as_utc

KINDS: Final = ("reminder", "escalation", "triage_reminder")
LOCAL: Final = ZoneInfo(DEFAULT_ZONE)


@dataclass(frozen=True)
class TimerView:
    since: dt.datetime  # when the case started to wait
    hours: float  # the limit, in office hours
    from_name: str | None  # the manager the case was with


def load_timer(session: Session, delivery_id: int) -> TimerView:
    row = session.scalar(select(EscalationRow).where(EscalationRow.delivery_id == delivery_id))
    if row is None:
        raise LookupError(f"no escalation for delivery {delivery_id}")
    manager = session.get(ManagerRow, row.manager_id) if row.manager_id else None
    return TimerView(as_utc(row.since), row.office_hours, manager.name if manager else None)


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%d.%m.%Y %H:%M")


def _hours(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _context(case: CaseView, sender: Sender, timer: TimerView) -> dict[str, object]:
    return {
        **case_context(case, sender),
        "since": _when(timer.since),
        "hours": _hours(timer.hours),
        "hours_en": f"{timer.hours:g}",
        "half": _hours(timer.hours / 2),
        "half_en": f"{timer.hours / 2:g}",
        "from_name": header_text(timer.from_name),
    }


def _summary(case: CaseView) -> str:
    return header_text(case.subject) or labels.topic_label(primary_topic(case))


def reminder_notice(
    case: CaseView, sender: Sender, *, to_name: str, to_address: str, unique: str, timer: TimerView
) -> EmailMessage:
    """The case's manager has not accepted it yet: half the time is gone."""
    msg = answerable_staff_message(
        case,
        sender,
        kind="reminder",
        subject=f"[{case.reference}] Erinnerung: bitte annehmen / Reminder: please accept: "
        + _summary(case),
        to=mailbox(to_name, to_address),
        unique=unique,
    )
    context = {**_context(case, sender, timer), "to_name": header_text(to_name)}
    return with_parts(msg, "de", "reminder_notice", context, "de, en")


def team_notice(
    case: CaseView,
    sender: Sender,
    *,
    kind: str,
    team_address: str,
    unique: str,
    timer: TimerView,
) -> EmailMessage:
    """To the site's team: a case reassigned at its limit, or waiting in triage too long."""
    team = f"Team {case.site_name}" if case.site_name else "Welcome Center Team"
    if kind == "escalation":
        title = "Neu zugewiesen / Reassigned"
    else:
        title = "Wartet in der Triage / Waiting in triage"
    msg = staff_message(
        case,
        sender,
        kind=kind,
        subject=f"[{case.reference}] {title}: {_summary(case)}",
        to=mailbox(team, team_address),
        unique=unique,
    )
    template = "escalation_notice" if kind == "escalation" else "triage_reminder"
    return with_parts(msg, "de", template, _context(case, sender, timer), "de, en")


def timer_message(
    session: Session, delivery: Delivery, case: CaseView, sender: Sender, unique: str
) -> EmailMessage:
    timer = load_timer(session, delivery.id)
    if delivery.kind == "reminder":
        return reminder_notice(
            case,
            sender,
            to_name=delivery.recipient_name or "",
            to_address=delivery.recipient,
            unique=unique,
            timer=timer,
        )
    return team_notice(
        case,
        sender,
        kind=delivery.kind,
        team_address=delivery.recipient,
        unique=unique,
        timer=timer,
    )
