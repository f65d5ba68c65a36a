"""Settings from the environment (prefix WELCOMEDESK_), one class per service over a base.

Read through `get_settings()` at a process's entry point, never at import. A
missing or placeholder secret stops start-up with a message naming the variable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

VAR = Path("var")
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "secret", "please-change", "xxx"})


class SettingsError(RuntimeError):
    """Start-up stops: the message names the variable to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WELCOMEDESK_", extra="ignore")

    # Storage and broker: the embedded default needs no server.
    database_url: str = f"sqlite:///{VAR}/welcomedesk.sqlite"
    broker_url: str = f"sqla+sqlite:///{VAR}/broker.sqlite"
    # Mail: an SMTP server (smtp://host:port), or .eml files in the outbox folder.
    smtp_url: str | None = None
    outbox_dir: Path = VAR / "outbox"
    mail_from: str = "welcome@example.org"
    mail_from_name: str = "Welcome Center Region Braunschweig-Wolfsburg"
    # Where people reach the intake (links in mails).
    base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    secret_key: str = Field(default="", repr=False)
    directory_file: Path | None = None
    log_format: str = "auto"  # json, console or auto (console on a terminal)
    log_level: str = "INFO"

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

    @field_validator("secret_key")
    @classmethod
    def _no_placeholder(cls, value: str) -> str:
        if value.strip().lower() in PLACEHOLDERS or len(value) < 16:
            raise ValueError("WELCOMEDESK_SECRET_KEY must be set to a random value (16+ chars)")
        return value

    @property
    def mail_domain(self) -> str:
        return self.mail_from.rpartition("@")[2] or "localhost"

    @property
    def embedded(self) -> bool:
        """Whether the broker is the embedded one (kombu's SQLAlchemy transport)."""
        return self.broker_url.startswith("sqla+")


S = TypeVar("S", bound=Settings)


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
