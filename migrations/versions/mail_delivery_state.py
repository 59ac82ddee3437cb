"""outbox delivery state: Message-ID, per-mail backoff, failures; batch lock rows

Revision ID: mail_delivery_state
Revises: geo_location_source_jobs
Create Date: 2026-12-02 17:20:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = "mail_delivery_state"
down_revision = "geo_location_source_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("unknown_outcomes", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("last_attempt_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("smtp_code", sa.Integer(), nullable=True))
    # Mail queued before this revision gets its Message-ID now: unique per row and installation.
    token = secrets.token_hex(6)
    op.execute(sa.text(
        "UPDATE outbox_mail SET next_attempt_at = created_at, message_id = "
        f"'<outbox-' || id || '.{token}@alle-tueren-offen.invalid>'"))
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)
        batch_op.alter_column("next_attempt_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_mail_message_id"), ["message_id"])
        batch_op.create_index(batch_op.f("ix_outbox_mail_next_attempt_at"), ["next_attempt_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_mail_failed_at"), ["failed_at"], unique=False)
    op.create_table(
        "batch_lock",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_batch_lock")),
    )


def downgrade():
    op.drop_table("batch_lock")
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_mail_failed_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_mail_next_attempt_at"))
        batch_op.drop_constraint(batch_op.f("uq_outbox_mail_message_id"), type_="unique")
        batch_op.drop_column("smtp_code")
        batch_op.drop_column("last_attempt_at")
        batch_op.drop_column("unknown_outcomes")
        batch_op.drop_column("failed_at")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("message_id")
