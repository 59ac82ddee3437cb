"""flask campaign …: operator commands."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from . import audit, demo, mail, reconfirm, retention
from .extensions import db
from .models import Employer, Role, StaffUser
from .passwords import hash_password, policy_problem

group = AppGroup("campaign", help="Alle Türen offen: Kampagne verwalten.")


@group.command("create-staff")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value)
def create_staff(email: str, role: str) -> None:
    """Create a staff account; the password is read from stdin."""
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else click.prompt(
        "Passwort", hide_input=True, confirmation_prompt=True)
    problem = policy_problem(password)
    if problem:
        raise click.ClickException(problem)
    address = email.strip().lower()
    if db.session.scalar(db.select(StaffUser).where(StaffUser.email == address)):
        raise click.ClickException(f"Es gibt schon ein Konto für {address}")
    db.session.add(StaffUser(email=address, password_hash=hash_password(password), role=role))
    audit.record(audit.SYSTEM, "staff_created", role=role)
    db.session.commit()
    click.echo(f"Konto {address} ({role}) angelegt.")


@group.command("reset-mfa")
@click.argument("email")
def reset_mfa(email: str) -> None:
    """Switch off a staff member's second factor (lost phone); they can set it up again."""
    staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if staff is None:
        raise click.ClickException(f"Kein Konto für {email}")
    staff.totp_secret, staff.totp_last_step = None, None
    audit.record(audit.SYSTEM, "staff_second_factor_off", staff_id=staff.id)
    db.session.commit()
    click.echo(f"Zwei-Faktor-Anmeldung für {staff.email} ausgeschaltet.")


@group.command("seed-demo")
@click.option("--count", default=40, show_default=True, help="Published demo employers.")
@click.option("--pending", default=3, show_default=True, help="Demo entries awaiting review.")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no employers yet.")
def seed_demo(count: int, pending: int, if_empty: bool) -> None:
    """Add fictional, clearly marked demo employers."""
    if if_empty and db.session.scalar(db.select(Employer.id).limit(1)):
        click.echo("Es gibt schon Einträge; keine Beispieldaten angelegt.")
        return
    added = demo.seed(current_app.extensions["campaign_city"], count, pending)
    db.session.commit()
    click.echo(f"{added} Beispiel-Betriebe angelegt ({count} freigegeben, {pending} in Prüfung).")


@group.command("demo-admin")
@click.option("--email", default="admin@beispiel.invalid", show_default=True)
def demo_admin(email: str) -> None:
    """Create a local admin once and print its login (the password is kept in instance/)."""
    secret_file = Path(current_app.instance_path) / "demo-admin-password"
    if not db.session.scalar(db.select(StaffUser).where(StaffUser.email == email)):
        password = secrets.token_urlsafe(12)
        db.session.add(StaffUser(email=email, password_hash=hash_password(password),
                                 role=Role.ADMIN))
        audit.record(audit.SYSTEM, "staff_created", role=Role.ADMIN.value)
        db.session.commit()
        secret_file.parent.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(password)
        secret_file.chmod(0o600)
    password = secret_file.read_text().strip() if secret_file.exists() else "(siehe erster Start)"
    click.echo(f"Anmeldung für Mitarbeitende: http://127.0.0.1:5000/admin/login – "
               f"E-Mail {email}, Passwort {password}")


@group.command("send-mail")
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


@group.command("reconfirm")
@click.option("--days", default=365, show_default=True, help="Nachfragen nach so vielen Tagen.")
def reconfirm_command(days: int) -> None:
    """Ask published employers once a year whether their details are still true."""
    due = reconfirm.due_for_reconfirmation(days)
    for employer in due:
        reconfirm.ask_to_reconfirm(employer)
    db.session.commit()
    sent, failed = mail.send_pending(limit=len(due) + 100)
    click.echo(f"{len(due)} Betrieb(e) gefragt, ob die Angaben noch stimmen "
               f"({sent} E-Mail(s) gesendet, {failed} in der Warteschlange).")


@group.command("cleanup")
def cleanup() -> None:
    """Delete unconfirmed sign-ups after 7 days and contact data of old rejections."""
    config = current_app.config
    done = retention.purge_expired(config["UNCONFIRMED_RETENTION_DAYS"],
                                   config["REJECTED_RETENTION_DAYS"])
    db.session.commit()
    click.echo(f"{done['unconfirmed']} unbestätigte Anmeldung(en) gelöscht, "
               f"{done['rejected']} abgelehnte(r) Eintrag/Einträge anonymisiert.")


def init_app(app) -> None:
    from . import sticker_cli  # noqa: F401  (registers its command on the group)

    app.cli.add_command(group)
