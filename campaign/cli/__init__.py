"""The operator's command line: one group, `flask campaign …`, with every sub-command listed here.

Each command parses its options, calls an operation of its feature and commits; none holds
business logic of its own.
"""

from __future__ import annotations

from flask.cli import AppGroup

from campaign.cli import alerts, backup, entries, imports, jobs, mail, staff, stickers

group = AppGroup("campaign", help="Alle Türen offen: Kampagne verwalten.")

COMMANDS = (
    staff.create_staff, staff.reset_mfa, staff.demo_admin,
    entries.seed_demo, entries.reconfirm_command, entries.cleanup,
    imports.import_command, jobs.run_jobs, stickers.stickers, mail.send_mail, backup.backup,
    alerts.send_alerts,
)
for command in COMMANDS:
    group.add_command(command)


def init_app(app) -> None:
    app.cli.add_command(group)
