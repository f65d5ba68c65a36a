"""One IMAP mailbox as the poller needs it (imap-tools): what waits, its bytes, put it away.

Messages are fetched with BODY.PEEK, so that reading one never marks it seen; a
handled one is moved to the processed folder (server-side MOVE where the server
has it) or given a keyword and left where it is. A dead letter goes to the
failed folder (or gets the failed keyword): the database holds its bytes.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted

DONE_KEYWORD = "WcProcessed"
FAILED_KEYWORD = "WcFailed"


@dataclass(frozen=True)
class MailboxConfig:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    tls: Literal["ssl", "starttls", "none"] = "ssl"

    @property
    def source(self) -> str:
        """The mailbox's name on its stored mails: `imap:user@host/folder`."""
        return f"imap:{self.user}@{self.host}/{self.folder}"

    @classmethod
    def parse(cls, url: str) -> MailboxConfig:
        """imaps://user:password@host[:993]/FOLDER, imap://...[:143]/FOLDER[?starttls=1]."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("imap", "imaps") or not parts.hostname:
            raise ValueError("an IMAP URL is imap://user:password@host[:port]/FOLDER or imaps://")
        if not parts.username or parts.password is None:
            raise ValueError(f"the IMAP URL for {parts.hostname} has no user or no password")
        starttls = parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        tls: Literal["ssl", "starttls", "none"] = (
            "ssl" if parts.scheme == "imaps" else "starttls" if starttls else "none"
        )
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if tls == "ssl" else 143),
            user=unquote(parts.username),
            password=unquote(parts.password),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
        )


class ImapMailbox:
    """A logged-in connection to one mailbox's folder, for the length of a `with` block."""

    def __init__(
        self,
        config: MailboxConfig,
        *,
        mode: Literal["move", "flag"],
        processed_folder: str,
        failed_folder: str,
        timeout: float,
    ) -> None:
        self.config, self.mode, self.timeout = config, mode, timeout
        self.processed_folder, self.failed_folder = processed_folder, failed_folder
        self._box: BaseMailBox | None = None

    def __enter__(self) -> ImapMailbox:
        c = self.config
        box: BaseMailBox
        if c.tls == "ssl":
            box = MailBox(c.host, c.port, timeout=self.timeout)
        elif c.tls == "starttls":
            box = MailBoxStartTls(c.host, c.port, timeout=self.timeout)
        else:
            box = MailBoxUnencrypted(c.host, c.port, timeout=self.timeout)
        box.login(c.user, c.password, initial_folder=None)
        self._box = box
        # imaplib keeps the capabilities it saw before login; servers announce MOVE after.
        status, data = box.client.capability()
        if status == "OK" and data and isinstance(data[-1], bytes):
            box.client.capabilities = tuple(data[-1].decode().upper().split())
        if self.mode == "move":
            for folder in (self.processed_folder, self.failed_folder):
                if not box.folder.exists(folder):
                    box.folder.create(folder)
        box.folder.set(c.folder)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        box, self._box = self._box, None
        if box is not None:
            # A connection already gone has nothing to log out of.
            with contextlib.suppress(Exception):
                box.logout()

    @property
    def box(self) -> BaseMailBox:
        if self._box is None:
            raise RuntimeError("the mailbox is used outside its `with` block")
        return self._box

    def pending(self) -> list[str]:
        """UIDs of the messages that wait, oldest first."""
        criteria = "UNDELETED"
        if self.mode == "flag":
            criteria = f"UNDELETED UNKEYWORD {DONE_KEYWORD} UNKEYWORD {FAILED_KEYWORD}"
        return sorted(self.box.uids(criteria), key=int)

    def fetch(self, uid: str) -> bytes | None:
        """The message's bytes as the server holds them; None when it is gone meanwhile."""
        status, data = self.box.client.uid("FETCH", uid, "(BODY.PEEK[])")
        if status != "OK":
            raise OSError(f"IMAP FETCH answered {status}")
        for item in data or ():
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def settle(self, uid: str, *, dead: bool) -> None:
        if self.mode == "move":
            self.box.move(uid, self.failed_folder if dead else self.processed_folder)
            return
        keyword = FAILED_KEYWORD if dead else DONE_KEYWORD
        status, _ = self.box.client.uid("STORE", uid, "+FLAGS", f"({keyword})")
        if status != "OK":
            raise OSError(f"IMAP STORE answered {status}")
