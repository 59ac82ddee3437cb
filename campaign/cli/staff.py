"""flask campaign create-staff, reset-mfa, demo-admin: staff accounts from the command line."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from campaign.core import audit
from campaign.extensions import db
from campaign.models import Role, StaffUser
from campaign.staff.passwords import hash_password, policy_problem


@click.command("create-staff")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value)
@with_appcontext
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


@click.command("reset-mfa")
@click.argument("email")
@with_appcontext
def reset_mfa(email: str) -> None:
    """Switch off a staff member's second factor (lost phone); they can set it up again."""
    staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if staff is None:
        raise click.ClickException(f"Kein Konto für {email}")
    staff.totp_secret, staff.totp_last_step = None, None
    audit.record(audit.SYSTEM, "staff_second_factor_off", staff_id=staff.id)
    db.session.commit()
    click.echo(f"Zwei-Faktor-Anmeldung für {staff.email} ausgeschaltet.")


@click.command("demo-admin")
@click.option("--email", default="admin@beispiel.invalid", show_default=True)
@with_appcontext
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
