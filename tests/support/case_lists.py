"""Cases of every kind on the demo directory, the people who look at them, and what each
of them should find in each list: the access rules written out plainly, to test the
desk's queries against on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.desk.cases.listing import VIEWS, Filters, View, list_cases
from services.desk.staff import Staff
from shared.db.models import EnquiryRow

START = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
MANAGERS = {"m-01": "braunschweig", "m-02": "braunschweig", "m-03": "wolfsburg", None: None}
STATUSES = ("received", "triage", "assigned", "accepted", "waiting", "closed")
WORDS = ("Anerkennung", "Pflege GmbH", "ZOË", "100%", "1000 Euro", "a_b", "axb", "x\\y", "Straße")

PEOPLE = {
    "ana (m-01, braunschweig)": Staff(1, "ana@example.org", "manager", "m-01", "braunschweig", "A"),
    "oksana (m-03, wolfsburg)": Staff(2, "ok@example.org", "manager", "m-03", "wolfsburg", "O"),
    "a manager of no site": Staff(3, "ns@example.org", "manager", "m-04", None, "N"),
    "an administrator": Staff(4, "admin@example.org", "admin", None, None, "Admin"),
}
QUERIES = (
    None,
    "anerkennung",
    " pflege ",
    "zoË",
    "100%",
    "a_b",
    "x\\y",
    "STRAßE",
    "wc-2026-000007",
)


@dataclass(frozen=True)
class Case:
    reference: str
    status: str
    site: str | None
    manager_id: str | None
    fields: tuple[str | None, ...]  # name, email, subject, message, company


def add_cases(session: Session) -> list[Case]:
    """A case for each manager (or none), status and site, with words in every field."""
    cases: list[Case] = []
    combos = itertools.product(MANAGERS.items(), STATUSES, ("braunschweig", "wolfsburg"))
    for i, ((manager, own_site), status, site) in enumerate(combos, start=1):
        if (manager is None) != (status in ("received", "triage")):
            continue
        word = WORDS[i % len(WORDS)]
        field = i % 5
        fields: list[str | None] = [f"Person {i}", f"p{i}@example.net", None, f"text {i}", None]
        fields[field] = f"{fields[field] or ''} {word} {i}".strip()
        reference = f"WC-2026-{i:06d}"
        where = own_site if manager else (site if status == "triage" else None)
        session.add(
            EnquiryRow(
                reference=reference,
                status_token=f"token-{i}",
                correlation_id=f"c-{i}",
                channel="web",
                received_at=START + dt.timedelta(hours=i),
                name=fields[0],
                email=fields[1],
                subject=fields[2],
                message=fields[3] or "",
                company=fields[4],
                status=status,
                site=where,
                manager_id=manager,
            )
        )
        cases.append(Case(reference, status, where, manager, tuple(fields)))
    session.flush()
    return cases


def _sees(staff: Staff, case: Case) -> bool:
    return (
        staff.is_admin
        or (staff.manager_id is not None and case.manager_id == staff.manager_id)
        or (staff.site is not None and case.status == "triage" and case.site == staff.site)
    )


def _in_view(staff: Staff, case: Case, view: View) -> bool:
    if view == "mine":
        return staff.manager_id is not None and case.manager_id == staff.manager_id
    return case.status == "triage" if view == "triage" else True


def _found(case: Case, q: str | None) -> bool:
    if q is None:
        return True
    text = q.strip().lower()
    in_fields = any(text in (value or "").lower() for value in case.fields)
    return in_fields or case.reference == q.strip().upper()


def expected(staff: Staff, view: View, q: str | None, cases: list[Case]) -> list[str]:
    """References newest first: the case made last was received last."""
    found = [c.reference for c in cases if _sees(staff, c) and _in_view(staff, c, view)]
    return [r for r in reversed(found) if _found(next(c for c in cases if c.reference == r), q)]


def check_every_list(session: Session, cases: list[Case]) -> int:
    """Every person, view and query; returns how many lists were compared."""
    compared = 0
    for staff, view, q in itertools.product(PEOPLE.values(), VIEWS, QUERIES):
        want = expected(staff, view, q, cases)
        got = list_cases(session, staff=staff, view=view, filters=Filters(q=q), page=1)
        assert [c.reference for c in got.items] == want[:25], (staff.email, view, q)
        assert got.total == len(want), (staff.email, view, q)
        compared += 1
    return compared
