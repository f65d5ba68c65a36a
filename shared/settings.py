"""Settings from the environment (prefix WELCOMEDESK_), one class per service over a base.

Read through `get_settings()` at a process's entry point, never at import. A
missing or placeholder secret stops start-up with a message naming the variable.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

VAR = Path("var")
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "please-change", "xxx"})


class SettingsError(RuntimeError):
    """Start-up stops: the message names the variable to set."""


class MailSettings(BaseSettings):
    """Who we are in mail: our addresses and Message-ID domain, and intake limits.

    Holds no secret, so that `welcomedesk mail inspect` reads the same values as
    the services without needing the rest of their configuration.
    """

    model_config = SettingsConfigDict(env_prefix="WELCOMEDESK_", extra="ignore")

    mail_from: str = "welcome@example.org"
    # The mailboxes the intake reads (comma-separated in the environment); with
    # mail_from, the addresses whose mail is ours and never a new enquiry.
    intake_addresses: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Attachments of incoming mail beyond these limits are dropped and noted.
    mail_attachment_max_bytes: int = 10 * 1024 * 1024
    mail_attachments_max_bytes: int = 25 * 1024 * 1024  # per message
    mail_attachments_max_count: int = 20

    @field_validator("intake_addresses", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str) and value.lstrip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [a for a in value.replace(";", ",").replace(" ", ",").split(",") if a]
        return value

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2] or "localhost"

    @property
    def own_addresses(self) -> frozenset[str]:
        return frozenset(a.strip().lower() for a in [self.mail_from, *self.intake_addresses])


class Settings(MailSettings):
    # Storage and broker: the embedded default needs no server.
    database_url: str = f"sqlite:///{VAR}/welcomedesk.sqlite"
    broker_url: str = f"sqla+sqlite:///{VAR}/broker.sqlite"
    # Mail: an SMTP server (smtp://host:port), or .eml files in the outbox folder.
    smtp_url: str | None = None
    outbox_dir: Path = VAR / "outbox"
    mail_from_name: str = "Welcome Center Region Braunschweig-Wolfsburg"
    # Where people reach the intake (links in mails).
    base_url: str = ""  # unset: http://HOST:PORT, where this intake listens
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default="", repr=False)
    directory_file: Path | None = None
    log_format: str = "auto"  # json, console or auto (console on a terminal)
    log_level: str = "INFO"

    # Requests an intake process works on at once (its thread pool), each with a
    # database connection of its own: enough to keep the database busy, few enough that
    # connections are kept rather than opened and closed under load.
    intake_threads: int = 16
    # Limits of the public endpoints.
    max_body_bytes: int = 64 * 1024
    rate_limit: str = "30/minute"  # per client address
    rate_limit_storage: str = "memory://"  # redis://... when several intake replicas run
    confirmation_limit: str = "5/hour"  # confirmations to one address
    # Mail delivery retries.
    smtp_timeout: float = 10.0
    mail_max_retries: int = 6
    mail_retry_backoff: int = 2  # seconds, doubled on each retry
    # Outbox relay: the relay process looks for committed events this often; beat
    # runs a sweep in a worker as well, every relay_interval seconds.
    relay_poll: float = 0.02
    relay_interval: float = 10.0
    # Seconds before a task whose worker died unacknowledged is delivered again (Redis).
    visibility_timeout: int = 300
    # Case handling.
    continuity_days: int = 90
    # Escalation (office hours; a site's directory entry may set its own): an assigned
    # case not accepted within accept_within_hours is reminded at half that time and then
    # reassigned; a case in triage longer than triage_within_hours is reminded to the team.
    accept_within_hours: float = Field(default=8.0, gt=0, le=2000)
    triage_within_hours: float = Field(default=4.0, gt=0, le=2000)
    escalation_interval: float = Field(default=60.0, gt=0)  # seconds between sweeps (beat)
    # The key of the persons' hash in the statistics; unset: the secret key. Changing it
    # makes every later enquirer a new person.
    statistics_key: str | None = Field(default=None, repr=False)
    # E-mail intake. Mailboxes the mail worker polls, comma-separated URLs such as
    # imaps://user:password@host/INBOX (imap://...?starttls=1; a comma or @ in the
    # password URL-encoded); none: no polling. A handled message is moved to the
    # processed folder ("move") or given a keyword and left in place ("flag").
    imap_urls: Annotated[list[str], NoDecode] = Field(default_factory=list, repr=False)
    imap_mode: Literal["move", "flag"] = "move"
    imap_processed_folder: str = "Processed"
    imap_failed_folder: str = "Failed"  # dead letters' copies, after the last attempt
    imap_interval: float = 30.0  # seconds between polls (beat)
    imap_timeout: float = 30.0
    imap_lock_seconds: int = 300  # a poller that died gives its mailbox up after this
    # Raw RFC 5322 messages posted to /api/v1/inbound/mime with this bearer token; none:
    # the endpoint answers 503.
    inbound_token: str | None = Field(default=None, repr=False)
    inbound_max_bytes: int = 32 * 1024 * 1024
    inbound_max_attempts: int = 5  # then a mail that fails is a dead letter
    # The desk (staff sign-in). A session ends after this long without a request, and
    # after staff_session_hours in any case.
    staff_idle_minutes: int = Field(default=30, ge=1)
    staff_session_hours: int = Field(default=12, ge=1)
    require_2fa: bool = False  # administrators must use a second factor (TOTP)
    # Failed sign-ins allowed per account and per client address, then a pause.
    sign_in_limit: str = "5/15minutes"
    sign_in_limit_per_address: str = "20/15minutes"
    staff_link_hours: int = 24  # a link to set a password is valid this long

    @field_validator("imap_urls", mode="before")
    @classmethod
    def _split_urls(cls, value: object) -> object:
        if isinstance(value, str):
            return [url for url in value.replace(" ", ",").split(",") if url]
        return value

    @field_validator("inbound_token")
    @classmethod
    def _token_or_none(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if value.strip().lower() in PLACEHOLDERS or len(value) < 16:
            raise ValueError("WELCOMEDESK_INBOUND_TOKEN must be a random value (16+ chars)")
        return value

    @field_validator("secret_key")
    @classmethod
    def _no_placeholder(cls, value: str) -> str:
        if value.strip().lower() in PLACEHOLDERS or len(value) < 16:
            raise ValueError("WELCOMEDESK_SECRET_KEY must be set to a random value (16+ chars)")
        return value

    @field_validator("statistics_key")
    @classmethod
    def _key_or_none(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if value.strip().lower() in PLACEHOLDERS or len(value) < 16:
            raise ValueError("WELCOMEDESK_STATISTICS_KEY must be a random value (16+ chars)")
        return value

    @property
    def person_key(self) -> bytes:
        """The HMAC key that turns an enquirer's address into a statistics' person."""
        return (self.statistics_key or self.secret_key).encode()

    @model_validator(mode="after")
    def _base_url_from_address(self) -> Settings:
        if not self.base_url:
            self.base_url = f"http://{self.host}:{self.port}"
        return self

    @property
    def embedded(self) -> bool:
        """Whether the broker is the embedded one (kombu's SQLAlchemy transport)."""
        return self.broker_url.startswith("sqla+")


S = TypeVar("S", bound=BaseSettings)


def load(cls: type[S]) -> S:
    try:
        return cls()
    except ValidationError as exc:
        names = ", ".join(
            f"WELCOMEDESK_{str(err['loc'][0]).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"settings: {names}") from exc


@cache
def get_settings() -> Settings:
    return load(Settings)


@cache
def get_mail_settings() -> MailSettings:
    return load(MailSettings)
