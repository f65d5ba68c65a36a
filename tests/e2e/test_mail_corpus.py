"""Every mail of the shared corpus (three projects' test suites, real-world and broken mail)
through real ingestion: appended to a dovecot mailbox and polled, and posted raw. None
raises, hangs or is lost: each is stored, or found to be a copy of one that is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services.intake.mail.identity import identify
from shared.db.models import InboundMailRow
from tests.conftest import require
from tests.support import mails
from tests.support.imap import DOVECOT, ImapServer, imap_server
from tests.support.stack import Stack, build_stack
from tests.support.system import wait_until
from tests.unit.mail.support import CORPUS, corpus_files

pytestmark = pytest.mark.slow
BOX = "corpus@example.org"
TOKEN = "inbound-token-0123456789abcdef"
ENV = {"WELCOMEDESK_MAIL_FROM": mails.OUR_ADDRESS, "WELCOMEDESK_INBOUND_TOKEN": TOKEN}


@pytest.fixture(scope="module")
def corpus() -> list[bytes]:
    require(CORPUS.is_dir(), f"no mail corpus at {CORPUS}")
    return [path.read_bytes() for path in corpus_files()]


@pytest.fixture(scope="module")
def imap() -> Iterator[ImapServer]:
    require(DOVECOT is not None, "dovecot is not installed (make system-deps: dovecot-imapd)")
    with imap_server(BOX) as server:
        yield server


@pytest.fixture(scope="module")
def polled(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin: str, imap: ImapServer
) -> Iterator[Stack]:
    env = {**ENV, "WELCOMEDESK_IMAP_URLS": imap.url(BOX), "WELCOMEDESK_IMAP_INTERVAL": "1"}
    # Only what ingestion needs: the events wait in the outbox, nobody routes them.
    with build_stack(
        tmp_path_factory.mktemp("corpus-imap"), postgres_admin, env=env, processes=("mail", "beat")
    ) as built:
        yield built


@pytest.fixture(scope="module")
def posted(tmp_path_factory: pytest.TempPathFactory, postgres_admin: str) -> Iterator[Stack]:
    with build_stack(
        tmp_path_factory.mktemp("corpus-mime"), postgres_admin, env=ENV, processes=("intake",)
    ) as built:
        yield built


def _accounted(db: Engine, corpus: list[bytes]) -> Counter[str]:
    """Every file's identity has a processed row, and the rows with their copies add up."""
    keys = {identify(raw).dedup_key for raw in corpus}
    with Session(db) as session:
        rows = list(session.scalars(select(InboundMailRow)))
    assert {r.dedup_key for r in rows} == keys
    assert [r.id for r in rows if r.status != "processed"] == []
    assert sum(1 + r.duplicates for r in rows) == len(corpus)
    return Counter(r.kind or "?" for r in rows)


def test_every_corpus_mail_polled_from_imap_is_stored_and_handled(
    polled: Stack, imap: ImapServer, corpus: list[bytes]
) -> None:
    with imap.connect(BOX) as box:
        for raw in corpus:
            box.append(raw, "INBOX")
    wait_until(lambda: imap.count(BOX) == 0, timeout=300, what="the corpus polled")
    assert imap.count(BOX, "Processed") == len(corpus)
    kinds = _accounted(polled.db, corpus)
    assert kinds["new"] > 100 and kinds["bounce"] >= 10
    log = polled.system.log("mail")
    for trouble in ("Traceback", "inbound_mail_left", "inbound_mail_failed", "inbound_mail_dead"):
        assert trouble not in log


def test_every_corpus_mail_posted_raw_is_stored_and_handled(
    posted: Stack, corpus: list[bytes]
) -> None:
    outcomes: Counter[str] = Counter()
    with httpx.Client(base_url=posted.system.base_url, timeout=60) as client:
        for raw in corpus:
            answer = client.post(
                "/api/v1/inbound/mime",
                content=raw,
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"},
            )
            assert answer.status_code == 200, answer.text
            outcomes[answer.json()["outcome"]] += 1
    assert outcomes["failed"] == 0 and outcomes["created"] > 100
    _accounted(posted.db, corpus)
    assert "Traceback" not in posted.system.log("intake")
