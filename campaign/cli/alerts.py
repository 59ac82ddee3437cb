"""flask campaign send-alerts: the daily digests of e-mail alerts (run from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from campaign.alerts import subscriptions
from campaign.core import mail
from campaign.extensions import db


@click.command("send-alerts")
@with_appcontext
def send_alerts() -> None:
    """Queue at most one digest per alert and day, then send the outbox."""
    queued = subscriptions.send_digests()
    db.session.commit()
    sent, failed = mail.send_pending(limit=10000)
    click.echo(f"{queued} Benachrichtigung(en) erstellt; {sent} E-Mail(s) gesendet, "
               f"{failed} nicht zugestellt.")
