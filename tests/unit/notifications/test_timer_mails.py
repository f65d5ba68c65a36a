"""The office-hours timers' mails: the reminder to the manager, the reassignment and the
triage reminder to the team; what each says, in German and English, in both parts."""

from __future__ import annotations

import datetime as dt

from services.notifications.escalation import TimerView, reminder_notice, team_notice
from tests.support.mail_cases import CASE, SENDER, parse, part

SINCE = dt.datetime(2026, 12, 4, 14, 0, tzinfo=dt.UTC)  # 15:00 in Braunschweig
TIMER = TimerView(since=SINCE, hours=8.0, from_name="Lucía Fernández")


def test_the_reminder_tells_the_manager_how_long_and_what_follows() -> None:
    msg = parse(
        reminder_notice(
            CASE,
            SENDER,
            to_name="Ana Müller",
            to_address="ana@example.org",
            unique="r1",
            timer=TIMER,
        )
    )
    assert str(msg["Subject"]).startswith(f"[{CASE.reference}] Erinnerung: bitte annehmen")
    assert str(msg["To"]) == "Ana Müller <ana@example.org>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert str(msg["Reply-To"]).endswith("<samira@example.net>")  # as the case mail
    for subtype in ("plain", "html"):
        text = part(msg, subtype)
        assert "04.12.2026 15:00" in text
        assert "4 von 8 Bürostunden" in text and "4 of 8 office hours" in text
        assert CASE.case_url in text


def test_the_team_hears_of_a_reassignment_and_who_has_the_case_now() -> None:
    msg = parse(
        team_notice(
            CASE,
            SENDER,
            kind="escalation",
            team_address="team-bs@example.org",
            unique="e1",
            timer=TIMER,
        )
    )
    assert str(msg["Subject"]).startswith(f"[{CASE.reference}] Neu zugewiesen / Reassigned")
    assert str(msg["To"]) == "Team Welcome Center Braunschweig <team-bs@example.org>"
    assert msg["Reply-To"] is None
    text = part(msg, "plain")
    assert "von Lucía Fernández nicht innerhalb von 8 Bürostunden" in text
    assert "geht jetzt an Ana Müller" in text and "now goes to Ana Müller" in text


def test_the_team_is_reminded_of_a_case_waiting_in_triage() -> None:
    timer = TimerView(since=SINCE, hours=2.5, from_name=None)
    msg = parse(
        team_notice(
            CASE,
            SENDER,
            kind="triage_reminder",
            team_address="team-bs@example.org",
            unique="t1",
            timer=timer,
        )
    )
    assert "Wartet in der Triage / Waiting in triage" in str(msg["Subject"])
    html = part(msg, "html")
    assert "länger als 2,5 Bürostunden" in html and "longer than 2.5 office hours" in html
