"""Alembic environment: runs migrations on the URL the caller configured."""

from alembic import context
from sqlalchemy import pool

from shared.db.engine import make_engine
from shared.db.models import Base

config = context.config
target_metadata = Base.metadata
# Indexes that only some databases have, made by a migration and not by the models.
DATABASE_SPECIFIC = frozenset({"ix_enquiries_search"})


def _include(
    _object: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """What autogenerate compares: not the database-specific indexes it finds."""
    return not (type_ == "index" and reflected and name in DATABASE_SPECIFIC)


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or ""
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_object=_include,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
