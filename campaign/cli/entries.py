"""flask campaign seed-demo, reconfirm, cleanup: entries from the command line."""

from __future__ import annotations

import dataclasses

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.cli.batch import exclusive
from campaign.consultations import demo as consultation_demo
from campaign.core import mail
from campaign.entries import demo, reconfirm, retention
from campaign.extensions import db
from campaign.models import Employer
from campaign.stickers import batches


@click.command("seed-demo")
@click.option("--count", default=40, show_default=True, help="Published demo employers.")
@click.option("--pending", default=3, show_default=True, help="Demo entries awaiting review.")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no employers yet.")
@with_appcontext
@exclusive("seed-demo")
def seed_demo(count: int, pending: int, if_empty: bool) -> None:
    """Add fictional, clearly marked demo employers."""
    if if_empty and db.session.scalar(db.select(Employer.id).limit(1)):
        click.echo("Es gibt schon Einträge; keine Beispieldaten angelegt.")
        return
    city = current_app.extensions["campaign_city"]
    added = demo.seed(city, count, pending)
    points = consultation_demo.seed(city)
    db.session.commit()
    click.echo(f"{added} Beispiel-Betriebe angelegt ({count} freigegeben, {pending} in Prüfung).")
    click.echo(f"{points} Beispiel-Beratungsorte angelegt.")


@click.command("reconfirm")
@click.option("--days", type=int, default=None,
              help="Nachfragen nach so vielen Tagen (Vorgabe: CAMPAIGN_RECONFIRM_AFTER_DAYS).")
@with_appcontext
@exclusive("reconfirm")
def reconfirm_command(days: int | None) -> None:
    """Ask, remind and pause automatically: the yearly "still true?" round."""
    policy = reconfirm.Policy.from_config(current_app.config)
    if days is not None:
        policy = dataclasses.replace(policy, ask_after_days=days)
    done = reconfirm.run_round(policy)
    db.session.commit()
    sent, failed = mail.send_pending(limit=None)
    click.echo(f"{done.asked} Betrieb(e) gefragt, ob die Angaben noch stimmen, "
               f"{done.reminded} erinnert, {done.paused} automatisch pausiert "
               f"({sent} E-Mail(s) gesendet, {failed} in der Warteschlange).")


@click.command("cleanup")
@with_appcontext
@exclusive("cleanup")
def cleanup() -> None:
    """Delete or erase personal data whose retention period is over (every rule, one run), and
    sticker batch PDFs older than CAMPAIGN_STICKER_BATCH_KEEP_HOURS."""
    done = retention.apply_all(current_app.config)
    db.session.commit()
    click.echo(f"{done['unconfirmed']} unbestätigte Anmeldung(en) gelöscht, "
               f"{done['rejected']} abgelehnte(r) Eintrag/Einträge anonymisiert, "
               f"{done['invitations']} unbeantwortete Einladung(en) gelöscht, "
               f"{done['sent_mail'] + done['undeliverable_mail']} alte E-Mail(s) gelöscht, "
               f"{done['report_texts']} Hinweistext(e) gelöscht.")
    click.echo(f"Aufkleber-PDFs von {batches.remove_old_files()} alten Auftrag/Aufträgen gelöscht.")
