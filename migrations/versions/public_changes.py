"""notes of which entry each public data version changed

Revision ID: public_changes
Revises: consult_points
Create Date: 2026-12-02 20:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "public_changes"
down_revision = "consult_points"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "public_data_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_data_change")),
    )
    with op.batch_alter_table("public_data_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_data_change_version"), ["version"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("public_data_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_data_change_version"))
    op.drop_table("public_data_change")
