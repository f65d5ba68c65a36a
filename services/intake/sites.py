"""The directory's site codes, which a chosen site must be one of, read from the database
and kept for a while: every enquiry must not cost a query, and a site added by a
directory import is known at once (a code not known makes one fresh look)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, select

from shared.db.models import SiteRow

KEEP_SECONDS = 30.0
LOOK_AGAIN_SECONDS = 1.0  # at most one fresh look a second for codes not known


class KnownSites:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._codes: frozenset[str] = frozenset()
        self._read_at = -KEEP_SECONDS
        self._lock = threading.Lock()

    def codes(self, *, wanted: str | None = None) -> frozenset[str]:
        """The site codes; read again when kept too long, or when `wanted` is not among
        them and the last look is more than a second old."""
        with self._lock:
            age = time.monotonic() - self._read_at
            missing = wanted is not None and wanted not in self._codes
            if age > KEEP_SECONDS or (missing and age > LOOK_AGAIN_SECONDS):
                with self.engine.connect() as connection:
                    self._codes = frozenset(connection.scalars(select(SiteRow.code)))
                self._read_at = time.monotonic()
            return self._codes
