"""flask campaign send-mail: flush the outbox."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from campaign.core import mail


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Send every queued mail now."""
    total_sent = total_failed = 0
    while True:
        sent, failed = mail.send_pending(limit=100)
        total_sent, total_failed = total_sent + sent, total_failed + failed
        if failed or sent == 0:
            break
    click.echo(f"{total_sent} E-Mail(s) gesendet, {total_failed} nicht zugestellt.")
    if total_failed:
        sys.exit(1)
