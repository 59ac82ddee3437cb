"""flask campaign seed-demo, reconfirm, cleanup: entries from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.core import mail
from campaign.entries import demo, reconfirm, retention
from campaign.extensions import db
from campaign.models import Employer


@click.command("seed-demo")
@click.option("--count", default=40, show_default=True, help="Published demo employers.")
@click.option("--pending", default=3, show_default=True, help="Demo entries awaiting review.")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no employers yet.")
@with_appcontext
def seed_demo(count: int, pending: int, if_empty: bool) -> None:
    """Add fictional, clearly marked demo employers."""
    if if_empty and db.session.scalar(db.select(Employer.id).limit(1)):
        click.echo("Es gibt schon Einträge; keine Beispieldaten angelegt.")
        return
    added = demo.seed(current_app.extensions["campaign_city"], count, pending)
    db.session.commit()
    click.echo(f"{added} Beispiel-Betriebe angelegt ({count} freigegeben, {pending} in Prüfung).")


@click.command("reconfirm")
@click.option("--days", default=365, show_default=True, help="Nachfragen nach so vielen Tagen.")
@with_appcontext
def reconfirm_command(days: int) -> None:
    """Ask published employers once a year whether their details are still true."""
    due = reconfirm.due_for_reconfirmation(days)
    for employer in due:
        reconfirm.ask_to_reconfirm(employer)
    db.session.commit()
    sent, failed = mail.send_pending(limit=len(due) + 100)
    click.echo(f"{len(due)} Betrieb(e) gefragt, ob die Angaben noch stimmen "
               f"({sent} E-Mail(s) gesendet, {failed} in der Warteschlange).")


@click.command("cleanup")
@with_appcontext
def cleanup() -> None:
    """Delete or erase personal data whose retention period is over (every rule, one run)."""
    done = retention.apply_all(current_app.config)
    db.session.commit()
    click.echo(f"{done['unconfirmed']} unbestätigte Anmeldung(en) gelöscht, "
               f"{done['rejected']} abgelehnte(r) Eintrag/Einträge anonymisiert, "
               f"{done['invitations']} unbeantwortete Einladung(en) gelöscht, "
               f"{done['sent_mail'] + done['undeliverable_mail']} alte E-Mail(s) gelöscht, "
               f"{done['report_texts']} Hinweistext(e) gelöscht.")
