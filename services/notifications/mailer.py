"""Mailers: where composed mails go. SMTP with a real server; .eml files without one."""

from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from services.notifications.mime import to_bytes

# What a mail server or the network may throw that another attempt can cure.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class SmtpMailer:
    """smtp://[user:password@]host:port, or smtps:// for TLS from the start; starttls=1 in the
    query asks for STARTTLS."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("WELCOMEDESK_SMTP_URL must look like smtp://host:port")
        self.host = parts.hostname
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.tls = parts.scheme == "smtps"
        self.starttls = "starttls=1" in parts.query
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        # One connection per thread: a worker with a thread pool sends side by side.
        self._local = threading.local()

    @property
    def _client(self) -> smtplib.SMTP | None:
        client: smtplib.SMTP | None = getattr(self._local, "client", None)
        return client

    @_client.setter
    def _client(self, client: smtplib.SMTP | None) -> None:
        self._local.client = client

    def _connect(self) -> smtplib.SMTP:
        client_class = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
        client = client_class(self.host, self.port, timeout=self.timeout)
        if self.starttls:
            client.starttls()
        if self.user and self.password:
            client.login(self.user, self.password)
        return client

    def send(self, message: EmailMessage) -> None:
        """Sends over a kept connection; a connection the server closed is opened again once."""
        envelope = _envelope(message)
        for attempt in (1, 2):
            if self._client is None:
                self._client = self._connect()
            try:
                if envelope is None:
                    self._client.send_message(message)
                else:
                    self._client.sendmail(envelope[0], envelope[1], to_bytes(message))
                return
            except smtplib.SMTPServerDisconnected:
                self._client = None
                if attempt == 2:
                    raise
            except (smtplib.SMTPException, OSError):
                self.close()
                raise

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()


def _envelope(message: EmailMessage) -> tuple[str, list[str]] | None:
    """Sender and recipients read from the raw headers, without parsing them into objects
    (smtplib's send_message does, at a cost); None when send_message must do it: a Bcc to
    take off, or an address that needs SMTPUTF8."""
    raw: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        raw.setdefault(name.lower(), []).append(str(value))
    if "bcc" in raw or "resent-from" in raw:
        return None
    sender = parseaddr(raw.get("sender", raw.get("from", [""]))[0])[1]
    recipients = [a for _, a in getaddresses(raw.get("to", []) + raw.get("cc", [])) if a]
    if not sender or not recipients or not all(a.isascii() for a in [sender, *recipients]):
        return None
    return sender, recipients


class OutboxMailer:
    """Writes each mail as an .eml file, named by its Message-ID, into a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"] or "mail").strip("<>").replace("/", "_")
        target = self.folder / f"{name}.eml"
        temporary = target.with_suffix(".eml.part")
        temporary.write_bytes(to_bytes(message))
        temporary.replace(target)  # a reader never sees half a file


def make_mailer(smtp_url: str | None, outbox_dir: Path, *, timeout: float = 10.0) -> Mailer:
    return SmtpMailer(smtp_url, timeout=timeout) if smtp_url else OutboxMailer(outbox_dir)
