"""Settings from the environment (prefix WELCOMEDESK_), one class per kind of process.

Read at a process's entry point, never at import: `get_settings()` for what every
process needs (workers, relay, beat, one-shot commands), `get_public_settings()` for a
process that writes links people follow (the notifications worker: the public address
is required outside the embedded default), `get_intake_settings()` for the intake
(also the secret that signs form tokens). A missing or placeholder value stops
start-up with a message naming the variable.
"""

from __future__ import annotations

import json
import secrets
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError
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
    # Where people reach the intake (links in mails and answers). Unset on the embedded
    # default: http://HOST:PORT, where this intake listens; required elsewhere.
    base_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default="", repr=False)
    directory_file: Path | None = None
    # A worker's or the relay's metrics at http://HOST:METRICS_PORT/metrics; none: not
    # served (the intake serves its own at /metrics).
    metrics_port: int | None = None
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
    # Addresses (or networks) of the reverse proxies whose X-Forwarded-For and
    # X-Forwarded-Proto are believed, comma-separated; none: the peer's address counts,
    # and a client cannot pick the address its rate limit is counted under.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
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
    # Privacy. A closed case is anonymised this many days after closing; received mails'
    # and attachments' bytes go after raw_mail_retention_days; the audit log keeps its
    # entries audit_retention_days. Beat sweeps daily (welcomedesk privacy retention).
    retention_days: int = Field(default=365, ge=1)
    raw_mail_retention_days: int = Field(default=90, ge=1)
    audit_retention_days: int = Field(default=730, ge=1)

    @field_validator("imap_urls", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item for item in value.replace(" ", ",").split(",") if item]
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
        if value and (value.strip().lower() in PLACEHOLDERS or len(value) < 16):
            raise ValueError(SECRET_REQUIRED)
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
        # Only on the embedded default, where everything runs on this machine: elsewhere
        # a guess (127.0.0.1) would send people links that lead nowhere.
        if not self.base_url and self.embedded:
            self.base_url = f"http://{self.host}:{self.port}"
        return self

    @property
    def embedded(self) -> bool:
        """Whether the broker is the embedded one (kombu's SQLAlchemy transport)."""
        return self.broker_url.startswith("sqla+")


SECRET_REQUIRED = "WELCOMEDESK_SECRET_KEY must be set to a random value (16+ chars)"


class PublicSettings(Settings):
    """A process that writes links people follow: the public address is known."""

    @model_validator(mode="after")
    def _public_address(self) -> PublicSettings:
        if not self.base_url:
            raise _named(
                "base_url",
                "must be set to the address people reach the intake at "
                "(e.g. https://welcome.example.org), outside the embedded default",
            )
        return self


class IntakeSettings(PublicSettings):
    """The intake: also the secret that signs the form's tokens."""

    @model_validator(mode="after")
    def _secret(self) -> IntakeSettings:
        if not self.secret_key and self.embedded:
            self.secret_key = local_secret()  # as `welcomedesk run` keeps it
        if not self.secret_key:
            raise _named("secret_key", "must be set to a random value (16+ chars)")
        return self


def _named(field: str, message: str) -> ValidationError:
    """A settings error on one variable, from a check across several."""
    return ValidationError.from_exception_data(
        "Settings",
        [InitErrorDetails(type=PydanticCustomError("setting", message), loc=(field,), input="")],
    )


def local_secret() -> str:
    """The embedded default's secret, made once and kept in var/ so that it survives
    restarts and every process started in this folder finds it."""
    path = VAR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


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
def get_public_settings() -> PublicSettings:
    return load(PublicSettings)


@cache
def get_intake_settings() -> IntakeSettings:
    return load(IntakeSettings)


@cache
def get_mail_settings() -> MailSettings:
    return load(MailSettings)
