"""Privacy figures on PostgreSQL: erasing one person among 100,000 cases (target under
1 s), and the retention sweep over 100,000 closed cases (target under 60 s).

    python -m bench.privacy [--cases N]

A database of its own (wd_bench_privacy_*, dropped afterwards), migrated, with the demo
directory, filled by SQL: every case closed 400 days ago, each with its message on the
thread, a received mail of about 2 KB as stored, a confirmation sent and two history
entries; every tenth with a 10 KB attachment; 500 received mails on no case. One person
has three cases among them. The erasure is the use case the command and the page run
(find by address and phone, count, clear, audit), timed to its commit; then the sweep
the beat task runs, as if a year had passed.
"""

from __future__ import annotations

import argparse
import time
from typing import Final

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from services.desk.privacy.erasure import erase_person
from services.desk.privacy.find import Person
from shared.db.engine import session_scope
from shared.db.models import EnquiryRow, utcnow
from shared.privacy import audit
from shared.privacy.retention import RetentionPolicy, run_retention
from tests.support.db import migrated
from tests.support.servers import database, postgres_server

ERASURE_TARGET: Final = 1.0  # seconds
RETENTION_TARGET: Final = 60.0
PERSON: Final = "the.person@example.net"
POLICY: Final = RetentionPolicy(case_days=365, raw_days=90, audit_days=730)

# Rows made by the database itself: a Python loop would time the benchmark, not the product.
FILL: Final = [
    """
    INSERT INTO enquiries (id, reference, status_token, correlation_id, channel, received_at,
        requester_type, name, email, phone, phone_key, postal_code, city, subject, message,
        consent_processing, consent_referral, status, version, routed_at, language, topics,
        district, site, manager_id, needs_interpreter, reasons, excluded, suggested_partners,
        assigned_at, accepted_at, closed_at, outcome)
    SELECT g, 'WC-2025-' || lpad(g::text, 6, '0'), md5('t' || g), md5('c' || g), 'web',
        now() - interval '420 days', 'worker', 'Person ' || g, 'person' || g || '@example.net',
        '0531 ' || g, '+49531' || g, '38100', 'Braunschweig', 'Anerkennung ' || g,
        repeat('Ich möchte meinen Abschluss anerkennen lassen. ', 8), true, false, 'closed', 3,
        now() - interval '420 days', 'de', '["recognition"]', 'braunschweig', 'braunschweig',
        'm-01', false, '["district braunschweig from city Braunschweig"]', '[]', '["p-01"]',
        now() - interval '420 days', now() - interval '419 days', now() - interval '400 days',
        'advised'
    FROM generate_series(1, :cases) AS g
    """,
    "SELECT setval(pg_get_serial_sequence('enquiries', 'id'), :cases)",
    """
    INSERT INTO inbound_mails (received_at, processed_at, source, raw, size, sha256,
        message_id, dedup_key, correlation_id, kind, reference, enquiry_id, status, outcome,
        attempts, duplicates, notes)
    SELECT now() - interval '420 days', now() - interval '420 days', 'mime',
        convert_to('From: Person ' || g || ' <person' || g || E'@example.net>\\r\\n'
            || E'Subject: Anerkennung\\r\\n\\r\\n' || repeat('Guten Tag, ich bitte um Rat. ', 70),
            'UTF8'),
        2100, md5('r' || g) || md5('s' || g), '<m' || g || '@mail.example.net>',
        '<m' || g || '@mail.example.net>', md5('c' || g), 'new',
        'WC-2025-' || lpad(g::text, 6, '0'), g, 'processed', 'created', 1, 0, '{}'
    FROM generate_series(1, :cases) AS g
    """,
    """
    INSERT INTO inbound_mails (received_at, source, raw, size, sha256, message_id, dedup_key,
        correlation_id, kind, status, outcome, attempts, duplicates, notes)
    SELECT now() - interval '30 days', 'mime',
        convert_to(E'From: list' || g || E'@example.com\\r\\nList-Id: <l.example>\\r\\n\\r\\nNews',
            'UTF8'),
        60, md5('l' || g) || md5('m' || g), '<l' || g || '@example.com>',
        '<l' || g || '@example.com>', md5('x' || g), 'list', 'processed', 'ignored', 1, 0, '{}'
    FROM generate_series(1, 500) AS g
    """,
    """
    INSERT INTO case_messages (enquiry_id, inbound_mail_id, direction, kind, received_at,
        sender, subject, text)
    SELECT g, g, 'in', 'new', now() - interval '420 days', 'person' || g || '@example.net',
        'Anerkennung', repeat('Guten Tag, ich bitte um Rat. ', 70)
    FROM generate_series(1, :cases) AS g
    """,
    """
    INSERT INTO attachments (enquiry_id, inbound_mail_id, filename, content_type, size, data,
        created_at)
    SELECT g, g, 'zeugnis-' || g || '.pdf', 'application/pdf', 10240,
        convert_to(repeat('%PDF-1.4 zeugnis ', 600), 'UTF8'), now() - interval '420 days'
    FROM generate_series(10, :cases, 10) AS g
    """,
    """
    INSERT INTO deliveries (enquiry_id, kind, recipient, recipient_name, status, message_id,
        attempts, created_at, sent_at)
    SELECT g, 'confirmation', 'person' || g || '@example.net', 'Person ' || g, 'sent',
        md5('d' || g), 1, now() - interval '420 days', now() - interval '420 days'
    FROM generate_series(1, :cases) AS g
    """,
    """
    INSERT INTO case_history (enquiry_id, at, actor, action, details, text)
    SELECT g, now() - interval '420 days', 'routing', 'routed', '{"to": "m-01"}'::json, NULL
    FROM generate_series(1, :cases) AS g
    UNION ALL
    SELECT g, now() - interval '400 days', 'm-01@example.org', 'closed',
        '{"outcome": "advised"}'::json, NULL
    FROM generate_series(1, :cases) AS g
    """,
]


def fill(sessions: sessionmaker[Session], cases: int) -> None:
    with session_scope(sessions) as session:
        for statement in FILL:
            session.execute(text(statement), {"cases": cases})
        for number in (cases // 7, cases // 2, cases - 3):  # the person, three times
            session.execute(
                text("UPDATE enquiries SET email = :email WHERE id = :id"),
                {"email": PERSON, "id": number},
            )
    with sessions() as session:
        session.execute(text("ANALYZE"))
        session.commit()


def erase_one(sessions: sessionmaker[Session]) -> tuple[float, int]:
    start = time.perf_counter()
    with session_scope(sessions) as session:
        done = erase_person(
            session,
            person=Person.parse(PERSON, "0531 123"),
            reason="request",
            actor=audit.CLI,
        )
    return time.perf_counter() - start, len(done.references)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with (
        postgres_server() as admin,
        database(admin, prefix="wd_bench_privacy") as url,
        migrated(url) as sessions,
    ):
        started = time.perf_counter()
        fill(sessions, args.cases)
        print(f"privacy: {args.cases:,} closed cases made in {time.perf_counter() - started:.1f} s")
        seconds, erased = erase_one(sessions)
        verdict = "ok" if seconds < ERASURE_TARGET else "SLOW"
        print(
            f"erasure of one person ({erased} cases) among {args.cases:,} cases: "
            f"{seconds:.3f} s (target < {ERASURE_TARGET:.0f} s) {verdict}"
        )
        start = time.perf_counter()
        report = run_retention(sessions, policy=POLICY, at=utcnow())
        seconds = time.perf_counter() - start
        with sessions() as session:
            left = session.scalar(select(func.count()).where(EnquiryRow.anonymised_at.is_(None)))
        verdict = "ok" if seconds < RETENTION_TARGET and not left else "SLOW"
        print(
            f"retention over {args.cases:,} closed cases: {seconds:.1f} s "
            f"(target < {RETENTION_TARGET:.0f} s) {verdict}: {len(report.cases):,} anonymised "
            f"with their mails and files, {report.unlinked_mails:,} mails on no case, "
            f"{left} left"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
