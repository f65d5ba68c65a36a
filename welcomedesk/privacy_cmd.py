"""`welcomedesk privacy export|erase|retention` and `welcomedesk audit`: thin over the
use cases in services/desk/privacy and shared/privacy.

Exit status: 0 done (also when nothing is held about the address), 2 for input that is
not what it should be (an address that is not one, an unknown reason, a folder in use).
Output names the person only on this terminal, never in a log.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from services.desk.privacy.document import Keeping
from services.desk.privacy.erasure import erase_person
from services.desk.privacy.export import build_export
from services.desk.privacy.find import NotAnAddressError, NotAPhoneError, Person, find_person
from services.desk.privacy.package import write_folder
from services.desk.privacy.reasons import REASONS, reason_code
from shared.db.engine import checkpoint, make_engine, session_factory, session_scope
from shared.db.models import utcnow
from shared.privacy import audit
from shared.privacy.retention import run_retention
from shared.privacy.tasks import policy_of
from shared.settings import Settings

BAD_INPUT = 2


def _sessions(settings: Settings) -> sessionmaker[Session]:
    return session_factory(make_engine(settings.database_url))


def _refuse(command: str, message: str) -> int:
    print(f"welcomedesk privacy {command}: {message}", file=sys.stderr)
    return BAD_INPUT


def _person(command: str, email: str, phone: str | None) -> Person | int:
    try:
        return Person.parse(email, phone)
    except NotAnAddressError as exc:
        return _refuse(command, f"{email!r} is not an e-mail address: {exc}")
    except NotAPhoneError as exc:
        return _refuse(command, str(exc))


def keeping(settings: Settings) -> Keeping:
    return Keeping(case_days=settings.retention_days, raw_days=settings.raw_mail_retention_days)


def export(settings: Settings, *, email: str, phone: str | None, out: Path | None) -> int:
    person = _person("export", email, phone)
    if isinstance(person, int):
        return person
    folder = out or Path(f"welcomedesk-export-{utcnow():%Y%m%dT%H%M%S}")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        return _refuse("export", f"{folder} exists and is not an empty folder")
    with session_scope(_sessions(settings)) as session:
        found = find_person(session, person)
        if found.empty:
            print(f"nothing held about {person.email}")
            return 0
        made = build_export(session, person=person, found=found, actor=audit.CLI)
        written = write_folder(made, keeping(settings), folder)
    print(f"{len(found.cases)} case(s), {len(written)} file(s) in {folder}/ ({made.language})")
    print(f"  {folder / 'export.html'}: the readable document; export.json: the same as JSON")
    if found.elsewhere:
        print(f"  not included: {', '.join(found.elsewhere)} (same phone, another e-mail)")
    return 0


def erase(settings: Settings, *, email: str, phone: str | None, reason: str, dry_run: bool) -> int:
    code = reason_code(reason)
    if code is None:
        return _refuse("erase", f"--reason: say why (one of {', '.join(REASONS)}, or in words)")
    reason = code
    person = _person("erase", email, phone)
    if isinstance(person, int):
        return person
    sessions = _sessions(settings)
    with session_scope(sessions) as session:
        done = erase_person(session, person=person, reason=reason, actor=audit.CLI, dry_run=dry_run)
    checkpoint(sessions.kw["bind"])
    if done.nothing_held:
        print(f"nothing held about {person.email}")
        return 0
    counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in done.counts.items() if n)
    verb = "would erase" if dry_run else "erased"
    print(f"{verb}: {counts}")
    for reference in done.references:
        print(f"  {reference}")
    if done.elsewhere:
        print(f"not touched: {', '.join(done.elsewhere)} (same phone, another e-mail)")
    return 0


def retention(settings: Settings, *, at: dt.datetime | None, dry_run: bool) -> int:
    report = run_retention(
        _sessions(settings),
        policy=policy_of(settings),
        at=at or utcnow(),
        dry_run=dry_run,
        actor=audit.CLI,
    )
    if dry_run:
        for reference in report.cases:
            print(reference)
    print(json.dumps(report.summary()))
    return 0


def audit_log(
    settings: Settings,
    *,
    case: str | None,
    staff: str | None,
    since: dt.datetime | None,
    limit: int,
) -> int:
    """The audit log, newest first: when, action, who, how, case, details."""
    with _sessions(settings)() as session:
        connection = session.connection()
        try:
            query = audit.query_for(
                connection, reference=case, staff_email=staff, since=since, limit=limit
            )
        except audit.NoSuchFilterError as exc:
            what = f"no case {case!r}" if exc.args[0] == "case" else f"no staff account {staff!r}"
            print(f"welcomedesk audit: {what}", file=sys.stderr)
            return BAD_INPUT
        for entry in audit.read(connection, query):
            who = entry.staff or (f"token:{entry.manager_id}" if entry.manager_id else entry.actor)
            details = json.dumps(entry.details, sort_keys=True) if entry.details else ""
            at = entry.at.isoformat(timespec="seconds")
            print(f"{at}\t{entry.action}\t{who}\t{entry.via}\t{entry.reference or '-'}\t{details}")
    return 0
