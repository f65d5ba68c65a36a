"""events their producer publishes itself; deliveries by recipient

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The relay leaves such an event to its producer until then.
    op.add_column("outbox", sa.Column("publish_after", sa.DateTime(timezone=True), nullable=True))
    # The confirmation limit counts one address's recent confirmations.
    op.create_index(op.f("ix_deliveries_recipient"), "deliveries", ["recipient"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_recipient"), table_name="deliveries")
    op.drop_column("outbox", "publish_after")
