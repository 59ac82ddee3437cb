"""remember who paused an entry (employer, staff or system)

Revision ID: review_paused_by
Revises: retention_wave_end
Create Date: 2026-12-02 17:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = "review_paused_by"
down_revision = "retention_wave_end"
branch_labels = None
depends_on = None

employer = sa.table("employer", sa.column("id", sa.Integer), sa.column("status", sa.String),
                    sa.column("paused_by", sa.String))
audit_entry = sa.table("audit_entry", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                       sa.column("actor", sa.String), sa.column("action", sa.String),
                       sa.column("employer_id", sa.Integer))


def upgrade():
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paused_by", sa.String(length=16), nullable=False,
                                      server_default=""))
    _backfill_paused_by()


def _backfill_paused_by():
    """Entries paused today: whoever wrote the last "status:paused" line paused them."""
    connection = op.get_bind()
    paused = connection.execute(sa.select(employer.c.id).where(employer.c.status == "paused"))
    for (employer_id,) in paused.all():
        actor = connection.execute(
            sa.select(audit_entry.c.actor)
            .where(audit_entry.c.employer_id == employer_id,
                   audit_entry.c.action == "status:paused")
            .order_by(audit_entry.c.at.desc(), audit_entry.c.id.desc()).limit(1)).scalar()
        paused_by = actor if actor in ("employer", "system") else "staff"
        connection.execute(employer.update().where(employer.c.id == employer_id)
                           .values(paused_by=paused_by))


def downgrade():
    with op.batch_alter_table("employer", schema=None) as batch_op:
        batch_op.drop_column("paused_by")
