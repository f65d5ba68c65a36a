"""`welcomedesk mail inspect FILE...`: one JSON line per mail, no side effects."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from services.intake.mail.inspect import EnquiryReader, inspect_mail
from services.intake.mail.reading import MailContext
from services.routing.understand import Reader, Understanding
from shared.directory import Directory, load_directory
from shared.enquiry import EnquiryFields
from shared.region import Region, load_region
from shared.settings import get_mail_settings


class _LazyReader:
    """The routing engine's Reader, built on first use: many mails never need it, and
    building it (the language models) takes longer than reading a mailbox's worth."""

    def __init__(self, region: Region, directory: Directory) -> None:
        self._region, self._directory = region, directory
        self._reader: Reader | None = None

    def read(self, fields: EnquiryFields) -> Understanding:
        if self._reader is None:
            self._reader = Reader(region=self._region, directory=self._directory)
        return self._reader.read(fields)


def inspect_files(
    files: list[str], *, directory: Path, region: Path | None, out: TextIO = sys.stdout
) -> int:
    context = MailContext.from_settings(get_mail_settings())
    places = load_region(region)  # a bad region or directory file stops before any mail
    reader: EnquiryReader = _LazyReader(
        places, load_directory(directory, districts=places.districts)
    )
    failed = 0
    for name in files:
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            failed += 1
            line = {"file": name, "error": error.strerror or str(error)}
        else:
            line = inspect_mail(raw, file=name, context=context, reader=reader)
        out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
        out.flush()
    return 1 if failed else 0
