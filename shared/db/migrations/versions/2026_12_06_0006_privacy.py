"""privacy: consent versions, phone key, anonymisation marks, raw mail deletion, audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.privacy.people import phone_key

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_APPEND_ONLY = {
    "postgresql": [
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
    "sqlite": [
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
}
_DROP_APPEND_ONLY = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log",
        "DROP FUNCTION IF EXISTS audit_log_append_only()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_log_no_update"],
}


def upgrade() -> None:
    with op.batch_alter_table("enquiries") as batch_op:
        batch_op.add_column(sa.Column("consent_version", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("consent_language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("consent_referral_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("phone_key", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("anonymised_why", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_enquiries_phone_key"), ["phone_key"], unique=False)
    with op.batch_alter_table("inbound_mails") as batch_op:
        batch_op.add_column(sa.Column("raw_deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        op.f("ix_idempotency_keys_enquiry_id"), "idempotency_keys", ["enquiry_id"], unique=False
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=16), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("manager_id", sa.String(length=64), nullable=True),
        sa.Column("enquiry_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)
    op.create_index(op.f("ix_audit_log_staff_id"), "audit_log", ["staff_id"], unique=False)
    op.create_index(op.f("ix_audit_log_enquiry_id"), "audit_log", ["enquiry_id"], unique=False)
    for statement in _APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    _fill_phone_keys()


def _fill_phone_keys() -> None:
    """Cases from before this revision are found by their phone number too."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, phone FROM enquiries WHERE phone IS NOT NULL"))
    keys = [{"id": row.id, "key": phone_key(row.phone)} for row in rows]
    keys = [k for k in keys if k["key"] is not None]
    if keys:
        bind.execute(sa.text("UPDATE enquiries SET phone_key = :key WHERE id = :id"), keys)


def downgrade() -> None:
    for statement in _DROP_APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_index(op.f("ix_audit_log_enquiry_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_staff_id"), table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_idempotency_keys_enquiry_id"), table_name="idempotency_keys")
    with op.batch_alter_table("inbound_mails") as batch_op:
        batch_op.drop_column("raw_deleted_at")
    with op.batch_alter_table("enquiries") as batch_op:
        batch_op.drop_index(batch_op.f("ix_enquiries_phone_key"))
        batch_op.drop_column("anonymised_why")
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("phone_key")
        batch_op.drop_column("consent_referral_at")
        batch_op.drop_column("consent_at")
        batch_op.drop_column("consent_language")
        batch_op.drop_column("consent_version")
