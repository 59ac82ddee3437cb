"""health probe row for the /healthz write check

Revision ID: faults_health_probe
Revises: freshness_reconfirm_stage
Create Date: 2026-12-02 17:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "faults_health_probe"
down_revision = "freshness_reconfirm_stage"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "health_probe",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO health_probe (id, checked_at) VALUES (1, CURRENT_TIMESTAMP)")


def downgrade():
    op.drop_table("health_probe")
