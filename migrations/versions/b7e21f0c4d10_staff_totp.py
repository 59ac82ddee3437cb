"""staff second factor (TOTP)

Revision ID: b7e21f0c4d10
Revises: 6a38c9cb004e
Create Date: 2026-11-26 07:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b7e21f0c4d10"
down_revision = "6a38c9cb004e"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
