"""flask campaign import: invite a wave of companies from a CSV file."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.cli.batch import exclusive
from campaign.core import audit, mail
from campaign.entries import imports
from campaign.extensions import db
from campaign.jobs import queue, runner
from campaign.models import Job, JobState


@click.command("import")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--wave", "wave_name", required=True, help="Name der Welle, z. B. Tochtergesellschaften.")
@with_appcontext
@exclusive("import")
def import_command(csv_file, wave_name: str) -> None:
    """Invite the companies in CSV_FILE; nothing is imported if any row has a problem."""
    try:
        job = imports.queue_import(csv_file.read(), wave_name.strip(),
                                   current_app.extensions["campaign_city"], audit.SYSTEM)
    except imports.ImportRefused as refused:
        db.session.rollback()
        for line, message in refused.problems:
            click.echo(f"Zeile {line}: {message}", err=True)
        raise click.ClickException("Nichts importiert. Korrigieren Sie die Datei und versuchen "
                                   "Sie es noch einmal.") from None
    db.session.commit()
    job_id = job.id
    runner.run_pending()
    job = db.session.get(Job, job_id)
    if job.state != JobState.DONE:  # another runner has it, or it failed
        raise click.ClickException(f"Import (Auftrag {job_id}) ist nicht fertig: {job.state} "
                                   f"{job.error}".strip())
    invited = queue.counts(job).get(imports.INVITED, 0)
    mail.send_pending(limit=invited + 10)
    waiting = mail.unsent_count()
    click.echo(f"{invited} Betriebe in der Welle „{wave_name}“ eingeladen, "
               f"{max(invited - waiting, 0)} Einladung(en) verschickt.")
    if waiting:
        click.echo(f"{waiting} E-Mail(s) warten noch; `flask campaign send-mail` schickt sie.",
                   err=True)
