"""abuse limits: per-address mail cap, login throttling per client, single-use form timers,
invitation candidates

Revision ID: abuse_limits
Revises: mail_delivery_state
Create Date: 2026-12-02 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "abuse_limits"
down_revision = "mail_delivery_state"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient_key", sa.String(length=254), nullable=True))
        batch_op.create_index("ix_outbox_mail_recipient_key_created_at",
                              ["recipient_key", "created_at"], unique=False)
    op.execute("UPDATE outbox_mail SET recipient_key = lower(recipient)")
    with op.batch_alter_table("employer_private", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invited_entry_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("login_alert_at", sa.DateTime(), nullable=True))
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_user.id"],
                                name=op.f("fk_login_failure_staff_id_staff_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.create_index("ix_login_failure_client_at", ["client", "at"], unique=False)
        batch_op.create_index("ix_login_failure_staff_id_at", ["staff_id", "at"], unique=False)
    op.create_table(
        "used_form_token",
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_used_form_token")),
    )
    with op.batch_alter_table("used_form_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_used_form_token_expires_at"), ["expires_at"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("used_form_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_used_form_token_expires_at"))
    op.drop_table("used_form_token")
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failure_staff_id_at")
        batch_op.drop_index("ix_login_failure_client_at")
    op.drop_table("login_failure")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.drop_column("login_alert_at")
    with op.batch_alter_table("employer_private", schema=None) as batch_op:
        batch_op.drop_column("invited_entry_id")
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_mail_recipient_key_created_at")
        batch_op.drop_column("recipient_key")
