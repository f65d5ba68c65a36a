"""Ingestion figures for `bench.mail_corpus`: the corpus stored and acted on for real.

Two runs, each on a fresh migrated SQLite database with the demo directory: the
intake's use case called mail by mail (what POST /api/v1/inbound/mime does), and,
when dovecot is installed, the mail worker's round over an IMAP mailbox holding
the whole corpus. A mail is accounted for when its identity has a processed row;
copies (the same Message-ID) count on that row.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.intake.inbound.service import ingest_mail
from services.intake.inbound.worker import MailRuntime, mailbox_configs
from services.intake.mail.identity import identify
from services.intake.mail.reading import MailContext
from shared.db.engine import session_scope
from shared.db.models import InboundMailRow
from shared.logs import configure_logging
from shared.settings import Settings
from tests.support.db import migrated, sqlite_url
from tests.support.imap import DOVECOT, imap_server

Mails = list[tuple[Path, bytes]]
BOX = "bench@example.org"


def _accounted(sessions: sessionmaker[Session], mails: Mails) -> tuple[int, int, Counter[str]]:
    """(mails accounted for, rows not processed, outcomes of the stored rows)."""
    keys = {identify(raw).dedup_key for _, raw in mails}
    with sessions() as session:
        rows = list(session.scalars(select(InboundMailRow)))
    done = [r for r in rows if r.dedup_key in keys and r.status == "processed"]
    outcomes = Counter(r.outcome or "?" for r in done)
    return sum(1 + r.duplicates for r in done), len(rows) - len(done), outcomes


def _line(label: str, count: int, seconds: float, accounted: int, bad: int) -> str:
    lost = count - accounted
    return (
        f"{label}: {count / seconds:.0f} messages/s ({count} in {seconds:.1f} s), "
        f"accounted for {accounted}/{count}, lost {lost}, failed {bad}"
    )


def ingest_directly(mails: Mails, folder: Path) -> bool:
    settings = Settings(secret_key="bench-secret-0123456789abcdef")
    context = MailContext.from_settings(settings)
    with migrated(sqlite_url(folder)) as sessions:
        start = time.perf_counter()
        for _, raw in mails:
            with session_scope(sessions) as session:
                ingest_mail(
                    session,
                    raw=raw,
                    source="mime",
                    context=context,
                    correlation_id=uuid.uuid4().hex,
                    max_attempts=5,
                )
        seconds = time.perf_counter() - start
        accounted, bad, outcomes = _accounted(sessions, mails)
    print(_line("ingestion (store + read + act, SQLite)", len(mails), seconds, accounted, bad))
    print("  stored outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    return accounted == len(mails) and bad == 0


def ingest_by_imap(mails: Mails, folder: Path) -> bool:
    if DOVECOT is None:
        print("IMAP ingestion: skipped, dovecot is not installed")
        return True
    with imap_server(BOX) as server, migrated(sqlite_url(folder)) as sessions:
        with server.connect(BOX) as box:
            for _, raw in mails:
                box.append(raw, "INBOX")
        settings = Settings(
            secret_key="bench-secret-0123456789abcdef",
            database_url=str(sessions.kw["bind"].url),
            imap_urls=[server.url(BOX)],
        )
        runtime = MailRuntime(settings, mailbox_configs(settings))
        start = time.perf_counter()
        counts = runtime.poll_all()
        seconds = time.perf_counter() - start
        accounted, bad, _ = _accounted(sessions, mails)
        left = server.count(BOX)
    print(
        _line(
            "IMAP ingestion (fetch + ingest + move, dovecot)", len(mails), seconds, accounted, bad
        )
    )
    print(f"  round: {dict(sorted(counts.items()))}; left in the inbox: {left}")
    return accounted == len(mails) and bad == 0 and left == 0


def ingest_figures(mails: Mails) -> bool:
    configure_logging(fmt="console", level="WARNING")  # the figures, not a line per mail
    with tempfile.TemporaryDirectory(prefix="wd-bench-mail-") as scratch:
        (Path(scratch) / "direct").mkdir()
        (Path(scratch) / "imap").mkdir()
        direct = ingest_directly(mails, Path(scratch) / "direct")
        imap = ingest_by_imap(mails, Path(scratch) / "imap")
    return direct and imap
