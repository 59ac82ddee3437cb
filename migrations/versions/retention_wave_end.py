"""end date of an invitation wave (retention of unanswered invitations)

Revision ID: retention_wave_end
Revises: b7e21f0c4d10
Create Date: 2026-12-02 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "retention_wave_end"
down_revision = "b7e21f0c4d10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("wave", schema=None) as batch_op:
        batch_op.drop_column("ends_on")
