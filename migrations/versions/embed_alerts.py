"""alert subscriptions and extra headers on outbox mails

Revision ID: embed_alerts
Revises: abuse_limits
Create Date: 2026-12-02 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "embed_alerts"
down_revision = "abuse_limits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("email_key", sa.String(length=254), nullable=False),
        sa.Column("filter_args", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("checked_until", sa.DateTime(), nullable=True),
        sa.Column("last_digest_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alert_subscription") as batch:
        batch.create_index("ix_alert_subscription_email_key", ["email_key"], unique=False)
    with op.batch_alter_table("outbox_mail") as batch:
        batch.add_column(sa.Column("headers", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_mail") as batch:
        batch.drop_column("headers")
    with op.batch_alter_table("alert_subscription") as batch:
        batch.drop_index("ix_alert_subscription_email_key")
    op.drop_table("alert_subscription")
