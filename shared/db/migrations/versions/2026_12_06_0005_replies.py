"""replies from the desk: their mails and files on the thread, reply templates, corrections

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reply_templates",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_reply_templates")),
    )
    with op.batch_alter_table("case_messages") as batch_op:
        batch_op.add_column(sa.Column("delivery_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_case_messages_delivery_id_deliveries"),
            "deliveries",
            ["delivery_id"],
            ["id"],
        )
    with op.batch_alter_table("attachments") as batch_op:
        batch_op.alter_column("inbound_mail_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("case_message_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_attachments_case_message_id_case_messages"),
            "case_messages",
            ["case_message_id"],
            ["id"],
        )
    with op.batch_alter_table("enquiries") as batch_op:
        batch_op.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("corrected_by", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enquiries") as batch_op:
        batch_op.drop_column("corrected_by")
        batch_op.drop_column("corrected_at")
    op.execute("DELETE FROM attachments WHERE inbound_mail_id IS NULL")
    with op.batch_alter_table("attachments") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_attachments_case_message_id_case_messages"), type_="foreignkey"
        )
        batch_op.drop_column("case_message_id")
        batch_op.alter_column("inbound_mail_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("case_messages") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_case_messages_delivery_id_deliveries"), type_="foreignkey"
        )
        batch_op.drop_column("delivery_id")
    op.drop_table("reply_templates")
