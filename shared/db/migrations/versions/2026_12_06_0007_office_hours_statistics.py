"""office hours of the sites, the escalation timers' record, and the statistics' case facts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hours", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("closures", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("accept_within", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("triage_within", sa.Float(), nullable=True))
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("enquiry_id", sa.Integer(), nullable=False),
        sa.Column("timer", sa.String(length=16), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=True),
        sa.Column("manager_id", sa.String(length=64), nullable=True),
        sa.Column("to_manager", sa.String(length=64), nullable=True),
        sa.Column("office_hours", sa.Float(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"], name=op.f("fk_escalations_delivery_id_deliveries")
        ),
        sa.ForeignKeyConstraint(
            ["enquiry_id"], ["enquiries.id"], name=op.f("fk_escalations_enquiry_id_enquiries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.UniqueConstraint("enquiry_id", "timer", "since", name=op.f("uq_escalations_enquiry_id")),
    )
    op.create_table(
        "case_facts",
        sa.Column("enquiry_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("requester_type", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("district", sa.String(length=64), nullable=True),
        sa.Column("site", sa.String(length=64), nullable=True),
        sa.Column("needs_interpreter", sa.Boolean(), nullable=False),
        sa.Column("person", sa.BigInteger(), nullable=True),
        sa.Column("prev_any_on", sa.Date(), nullable=True),
        sa.Column("prev_site_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("closing_minutes", sa.Integer(), nullable=True),
        sa.Column("partners", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("enquiry_id", name=op.f("pk_case_facts")),
    )
    op.create_index("ix_case_facts_received_on", "case_facts", ["received_on", "enquiry_id"])
    op.create_index("ix_case_facts_person", "case_facts", ["person", "received_at"])
    op.create_index("ix_case_facts_prev_any_on", "case_facts", ["prev_any_on"])
    op.create_index("ix_case_facts_prev_site_on", "case_facts", ["prev_site_on"])
    op.create_table(
        "statistics_months",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("site", sa.String(length=64), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "site", "metric", "value", name=op.f("pk_statistics_months")
        ),
    )


def downgrade() -> None:
    op.drop_table("statistics_months")
    op.drop_index("ix_case_facts_prev_site_on", table_name="case_facts")
    op.drop_index("ix_case_facts_prev_any_on", table_name="case_facts")
    op.drop_index("ix_case_facts_person", table_name="case_facts")
    op.drop_index("ix_case_facts_received_on", table_name="case_facts")
    op.drop_table("case_facts")
    op.drop_table("escalations")
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("triage_within")
        batch_op.drop_column("accept_within")
        batch_op.drop_column("closures")
        batch_op.drop_column("hours")
        batch_op.drop_column("timezone")
