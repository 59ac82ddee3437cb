"""indexes for the staff lists' sorts and filters and the dashboard's counts

Revision ID: admin_indexes
Revises: public_changes
Create Date: 2026-12-02 21:00:00

"""
from alembic import op

revision = "admin_indexes"
down_revision = "public_changes"
branch_labels = None
depends_on = None

INDEXES = {
    "employer": [
        ("ix_employer_name", ["name"]),
        ("ix_employer_created_at", ["created_at"]),
        ("ix_employer_published_at", ["published_at"]),
        ("ix_employer_status_district", ["status", "district"]),
        ("ix_employer_status_quarter", ["status", "quarter"]),
        ("ix_employer_status_sector", ["status", "sector"]),
        ("ix_employer_status_paused_by", ["status", "paused_by"]),
    ],
    "employer_private": [
        ("ix_employer_private_sticker_status", ["sticker_status"]),
        ("ix_employer_private_wave_id", ["wave_id"]),
        ("ix_employer_private_reconfirm_stage", ["reconfirm_stage"]),
    ],
    "audit_entry": [
        ("ix_audit_entry_actor", ["actor"]),
        ("ix_audit_entry_action_at", ["action", "at"]),
    ],
    "scan_count": [("ix_scan_count_day_count", ["day", "count"])],
    "problem_report": [
        ("ix_problem_report_resolved_at_created_at", ["resolved_at", "created_at"]),
    ],
}


def upgrade():
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes:
                batch_op.create_index(name, columns, unique=False)


def downgrade():
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _columns in reversed(indexes):
                batch_op.drop_index(name)
