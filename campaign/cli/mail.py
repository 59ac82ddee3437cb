"""flask campaign send-mail: flush the outbox."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from campaign.cli.batch import exclusive, stop_on_sigterm
from campaign.outbox import delivery


@click.command("send-mail")
@click.option("--now", "retry_now", is_flag=True,
              help="Auch E-Mails sofort versuchen, die auf ihren nächsten Versuch warten "
                   "(nach einer behobenen SMTP-Störung).")
@with_appcontext
@exclusive("send-mail")
def send_mail(retry_now: bool) -> None:
    """Send every mail that is due; SIGTERM lets the current mail end, then stops."""
    if retry_now:
        delivery.retry_now()
    with stop_on_sigterm() as stop_requested:
        tally = delivery.send_due(should_stop=stop_requested)
    click.echo(f"{tally.sent} E-Mail(s) gesendet, {tally.not_sent} nicht zugestellt.")
    if tally.deferred or tally.unknown:
        click.echo(f"{tally.deferred + tally.unknown} E-Mail(s) werden später noch einmal "
                   "versucht.")
    if tally.failed:
        click.echo(f"{tally.failed} E-Mail(s) endgültig nicht zustellbar: siehe "
                   "/admin/mails/unzustellbar.")
    if stop_requested():
        click.echo("Auf Wunsch beendet (SIGTERM); der Rest geht beim nächsten Lauf hinaus.")
    if tally.not_sent:
        sys.exit(1)
