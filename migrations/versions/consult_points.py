"""consultation points (Beratung vor Ort)

Revision ID: consult_points
Revises: embed_alerts
Create Date: 2026-12-02 18:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "consult_points"
down_revision = "embed_alerts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=5), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("district", sa.String(length=80), nullable=False),
        sa.Column("quarter", sa.String(length=80), nullable=False),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("no_appointment", sa.Boolean(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    with op.batch_alter_table("consultation_point", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_consultation_point_published"), ["published"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_consultation_point_quarter"), ["quarter"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("consultation_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_point_quarter"))
        batch_op.drop_index(batch_op.f("ix_consultation_point_published"))
    op.drop_table("consultation_point")
