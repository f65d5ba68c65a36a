"""Helpers of the mail tests: who we are, reading a message, the corpus beside the checkout."""

from __future__ import annotations

from pathlib import Path

from services.intake.mail.classify import Ours
from services.intake.mail.model import AttachmentLimits
from services.intake.mail.reading import MailContext, MailReading, read_mail
from tests.support.handout import HANDOUT

CORPUS = HANDOUT / "corpora" / "mail"
NOT_MAIL = frozenset({"SHA256SUMS", "README.md"})

OUR_DOMAIN = "welcome.example.org"
OURS = Ours(
    addresses=frozenset({f"welcome@{OUR_DOMAIN}", f"intake@{OUR_DOMAIN}"}),
    domains=frozenset({OUR_DOMAIN}),
)
CONTEXT = MailContext(OURS, AttachmentLimits())


def read(raw: bytes) -> MailReading:
    return read_mail(raw, context=CONTEXT)


def corpus_files() -> list[Path]:
    """Every mail of the corpus, all sources, recursively: not the expectations or the index."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path
        for path in CORPUS.rglob("*")
        if path.is_file()
        and path.suffix != ".yml"
        and path.name not in NOT_MAIL
        and not path.name.startswith(".")  # .gitattributes
    )
