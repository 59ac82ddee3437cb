"""flask campaign backup FILE: a consistent copy of the live database."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from campaign.backup.dump import BackupFailed, write_backup
from campaign.extensions import db


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(target: Path) -> None:
    """Write a backup of the database into TARGET (the app may keep running)."""
    try:
        result = write_backup(db.engine, target)
    except BackupFailed as problem:
        click.echo(f"Keine Sicherung: {problem}", err=True)
        sys.exit(1)
    click.echo(f"Sicherung geschrieben: {result.path} ({result.size_bytes / 1e6:.1f} MB, "
               f"{result.contents}).")
    click.echo("Bewahren Sie CAMPAIGN_SECRET_KEY getrennt davon sicher auf: ohne denselben "
               "Schlüssel gelten die Links in verschickten E-Mails nach einer Wiederherstellung "
               "nicht mehr.")
