"""the desk's lists: a manager's cases newest first, and a trigram index for the search

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 14:00:00
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the search box looks in, spelt as services/desk/cases/search.py spells it: the
# planner uses the index only for the same expression.
SEARCHED = (
    "coalesce(name, '') || E'\\x1f' || coalesce(email, '') || E'\\x1f' || "
    "coalesce(subject, '') || E'\\x1f' || message || E'\\x1f' || coalesce(company, '')"
)
# pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may add
# it without being a superuser. Where it cannot be had, the search works without it.
TRIGRAMS_POSSIBLE = text(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') "
    "OR EXISTS (SELECT 1 FROM pg_available_extension_versions v, pg_roles r "
    "WHERE v.name = 'pg_trgm' AND r.rolname = current_user AND (r.rolsuper "
    "OR (v.trusted AND has_database_privilege(current_database(), 'CREATE'))))"
)


def upgrade() -> None:
    # A manager's cases, newest first: the list's page from the index, its count from
    # the index alone.
    op.create_index(
        "ix_enquiries_manager_received",
        "enquiries",
        ["manager_id", "received_at", "id"],
        unique=False,
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not bind.scalar(TRIGRAMS_POSSIBLE):
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        f"CREATE INDEX ix_enquiries_search ON enquiries USING gin (({SEARCHED}) gin_trgm_ops)"
    )
    # Statistics of the indexed expression, which only ANALYZE gathers: without them the
    # planner takes every search for a rare one until autovacuum comes by.
    op.execute("ANALYZE enquiries")


def downgrade() -> None:
    # The extension stays: it may serve others, and only its owner may drop it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_enquiries_search")
    op.drop_index("ix_enquiries_manager_received", table_name="enquiries")
