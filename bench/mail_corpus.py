"""Mail intake figures: every corpus mail parsed and classified, kinds counted, speed;
then every mail ingested for real, and, when dovecot is installed, polled from IMAP.

    python -m bench.mail_corpus [--corpus DIR] [--passes N] [--no-ingest]

Reads every file under the handout's mail corpus (all sources, recursively; not
the Zammad .yml expectations, SHA256SUMS, the README or .gitattributes) into memory, then runs
each through the intake's own code (parse, split, classify: `read_mail`) pinned
to one core. The first pass is the figure that counts (a fresh process, cold
caches); later passes show the steady rate of a long-running intake.

Ingestion is the intake's use case on a fresh migrated SQLite database (the
embedded default): store the bytes, read, act (open or join a case, record a
bounce), one transaction per mail. The IMAP figure adds a throwaway dovecot and
the mail worker's round: fetch, ingest, move to the processed folder. Each mail
must be accounted for: stored, or found to be a copy of one that is.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

from bench.mail_ingest import ingest_figures
from services.intake.mail.classify import KINDS
from services.intake.mail.reading import MailContext, read_mail
from shared.settings import MailSettings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "../shared/corpora/mail"
NOT_MAIL = frozenset({"SHA256SUMS", "README.md"})
TARGET = 200.0  # messages per second on one core


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(
        path
        for path in corpus.rglob("*")
        if path.is_file()
        and path.suffix != ".yml"
        and path.name not in NOT_MAIL
        and not path.name.startswith(".")  # .gitattributes
    )


def one_pass(
    mails: list[tuple[Path, bytes]], context: MailContext
) -> tuple[float, Counter[str], list[str]]:
    kinds: Counter[str] = Counter()
    raised: list[str] = []
    start = time.perf_counter()
    for path, raw in mails:
        try:
            kinds[read_mail(raw, context=context).kind] += 1
        except Exception as error:  # counted and named: the figure that must stay 0
            raised.append(f"{path}: {type(error).__name__}: {error}")
    return time.perf_counter() - start, kinds, raised


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--no-ingest", action="store_true", help="parse figures only")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no mail corpus at {args.corpus}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    files = corpus_files(args.corpus)
    mails = [(path, path.read_bytes()) for path in files]
    size = sum(len(raw) for _, raw in mails)
    # The services' defaults: our address and domain, the attachment limits.
    context = MailContext.from_settings(MailSettings())

    elapsed, kinds, raised = one_pass(mails, context)
    rates = [len(mails) / elapsed]
    for _ in range(max(0, args.passes - 1)):
        rates.append(len(mails) / one_pass(mails, context)[0])

    print(f"mail corpus: {len(mails)} files, {size / 1_048_576:.1f} MiB, {args.corpus.resolve()}")
    print("kinds:")
    for kind in KINDS:
        print(f"  {kind:11} {kinds[kind]:4}")
    print(f"raised: {len(raised)}")
    for line in raised:
        print(f"  {line}")
    verdict = "ok" if rates[0] >= TARGET else "BELOW TARGET"
    print(
        f"parse rate (one core, parse + split + classify): {rates[0]:.0f} messages/s "
        f"first pass, {max(rates):.0f}/s best of {len(rates)} (target >= {TARGET:.0f}/s) {verdict}"
    )
    ingested = True if args.no_ingest else ingest_figures(mails)
    return 0 if not raised and rates[0] >= TARGET and ingested else 1


if __name__ == "__main__":
    sys.exit(main())
