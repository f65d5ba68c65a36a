"""What the desk builds once when the web process starts, and hands to its routes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from services.desk.cases.replies import FileLimits
from services.desk.signin import SessionPolicy
from shared.db.engine import make_engine, session_factory
from shared.settings import Settings


@dataclass
class DeskRuntime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    limiter: MovingWindowRateLimiter
    per_account: RateLimitItem
    per_address: RateLimitItem
    policy: SessionPolicy

    @classmethod
    def start(cls, settings: Settings) -> DeskRuntime:
        engine = make_engine(settings.database_url, pool_size=8, max_overflow=8)
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            limiter=MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage)),
            per_account=parse(settings.sign_in_limit),
            per_address=parse(settings.sign_in_limit_per_address),
            policy=SessionPolicy(
                idle=dt.timedelta(minutes=settings.staff_idle_minutes),
                max_age=dt.timedelta(hours=settings.staff_session_hours),
            ),
        )

    @property
    def file_limits(self) -> FileLimits:
        s = self.settings
        return FileLimits(
            per_file=s.mail_attachment_max_bytes,
            per_reply=s.mail_attachments_max_bytes,
            count=s.mail_attachments_max_count,
        )

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over https when the desk is reached by https."""
        return self.settings.base_url.startswith("https://")

    def close(self) -> None:
        self.engine.dispose()
