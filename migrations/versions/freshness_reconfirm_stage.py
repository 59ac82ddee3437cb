"""freshness: last confirmation and the stage of an unanswered reconfirmation round

Revision ID: freshness_reconfirm_stage
Revises: review_paused_by
Create Date: 2026-12-02 18:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "freshness_reconfirm_stage"
down_revision = "review_paused_by"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("employer_private", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details_confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reconfirm_stage", sa.Integer(), server_default="0",
                                      nullable=False))
        batch_op.add_column(sa.Column("reconfirm_asked_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("employer_private", schema=None) as batch_op:
        batch_op.drop_column("reconfirm_asked_at")
        batch_op.drop_column("reconfirm_stage")
        batch_op.drop_column("details_confirmed_at")
