"""GDPR housekeeping: delete what we promised to delete, and export what we hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from campaign.alerts import subscriptions as alert_subscriptions
from campaign.core import audit, mail
from campaign.entries.lifecycle import PUBLIC_FIELDS, withdraw
from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    Employer,
    EmployerPrivate,
    OutboxMail,
    ProblemReport,
    Status,
    Wave,
    field_names,
    utcnow,
)

PRIVATE_EXPORT_FIELDS = field_names(personal=True)


@dataclass(frozen=True)
class Rule:
    """One promise of the privacy notice: which personal data goes, and when."""

    key: str
    days_setting: str | None  # None: applied at the moment it happens, not by `cleanup`
    notice: LazyString  # the sentence on /datenschutz; %(days)d is the configured period
    apply: Callable[[int, datetime], int] | None = None

    def days(self, config) -> int | None:
        return config[self.days_setting] if self.days_setting else None

    def sentence(self, config) -> str:
        return str(self.notice) % {"days": self.days(config) or 0}


def delete_unconfirmed(days: int, now: datetime) -> int:
    stale = db.session.scalars(select(Employer.id).where(
        Employer.status == Status.UNCONFIRMED, Employer.created_at < now - timedelta(days=days))).all()
    return _delete_entries(stale, "purged_unconfirmed")


def scrub_rejected(days: int, now: datetime) -> int:
    rejected = db.session.scalars(select(Employer).where(
        Employer.status == Status.REJECTED, Employer.private.has(),
        Employer.updated_at < now - timedelta(days=days))).all()
    for employer in rejected:
        withdraw(employer, actor=audit.SYSTEM)
    return len(rejected)


def delete_unanswered_invitations(days: int, now: datetime) -> int:
    """Invited companies that never signed up go ``days`` after their wave's end."""
    cutoff = now - timedelta(days=days)
    ended = [wave.id for wave in db.session.scalars(select(Wave)) if wave_end(wave) < cutoff.date()]
    without_wave = cutoff - timedelta(days=DEFAULT_WAVE_DAYS)
    invited = db.session.scalars(
        select(Employer.id).join(Employer.private).where(
            Employer.status == Status.INVITED,
            EmployerPrivate.wave_id.in_(ended)
            | (EmployerPrivate.wave_id.is_(None) & (Employer.created_at < without_wave)))).all()
    return _delete_entries(invited, "purged_invitation")


def wave_end(wave: Wave) -> date:
    return wave.ends_on or (wave.created_at + timedelta(days=DEFAULT_WAVE_DAYS)).date()


def erase_sent_mail(days: int, now: datetime) -> int:
    return mail.erase_sent(OutboxMail.sent_at < now - timedelta(days=days))


def delete_undeliverable_mail(days: int, now: datetime) -> int:
    result = db.session.execute(delete(OutboxMail).where(
        OutboxMail.sent_at.is_(None), OutboxMail.created_at < now - timedelta(days=days)))
    return result.rowcount


def erase_closed_report_texts(days: int, now: datetime) -> int:
    result = db.session.execute(update(ProblemReport).where(
        ProblemReport.resolved_at < now - timedelta(days=days), ProblemReport.message != "")
        .values(message=""))
    return result.rowcount


def _delete_entries(ids: list[int], action: str) -> int:
    for employer_id in ids:
        audit.record(audit.SYSTEM, action, employer_id)
    if ids:
        db.session.execute(delete(Employer).where(Employer.id.in_(ids)))
    return len(ids)


DEFAULT_WAVE_DAYS = 90  # a wave without an end date counts as ended this long after it began

RULES = (
    Rule("unconfirmed", "UNCONFIRMED_RETENTION_DAYS", _l(
        "Nicht bestätigte Anmeldungen löschen wir nach %(days)d Tagen."), delete_unconfirmed),
    Rule("withdrawn", None, _l(
        "Wenn Sie Ihren Eintrag zurückziehen, löschen wir Ihre Kontaktdaten und die Texte der "
        "E-Mails an Sie sofort. Im Protokoll bleibt nur vermerkt, dass ein Eintrag mit einer "
        "internen Nummer zurückgezogen wurde.")),
    Rule("rejected", "REJECTED_RETENTION_DAYS", _l(
        "Bei abgelehnten Einträgen löschen wir die Kontaktdaten %(days)d Tage nach der "
        "Entscheidung."), scrub_rejected),
    Rule("invitations", "INVITATION_RETENTION_DAYS", _l(
        "Einladungen, auf die niemand antwortet, löschen wir %(days)d Tage nach dem Ende der "
        "Einladungsrunde (ohne festgelegtes Ende: 90 Tage nach ihrem Beginn)."),
         delete_unanswered_invitations),
    Rule("sent_mail", "MAIL_RETENTION_DAYS", _l(
        "Von verschickten E-Mails löschen wir Empfängeradresse und Text %(days)d Tage nach dem "
        "Versand."),
         erase_sent_mail),
    Rule("undeliverable_mail", "MAIL_RETENTION_DAYS", _l(
        "Nicht zustellbare E-Mails löschen wir %(days)d Tage nach dem ersten Versuch."),
         delete_undeliverable_mail),
    Rule("report_texts", "REPORT_TEXT_RETENTION_DAYS", _l(
        "Den Text von Hinweisen auf fehlerhafte Einträge löschen wir %(days)d Tage, nachdem "
        "wir den Hinweis bearbeitet haben."), erase_closed_report_texts),
    Rule("alerts_unsubscribed", None, _l(
        "Wenn du dich von einer Benachrichtigung über neue offene Türen abmeldest, löschen wir "
        "deine E-Mail-Adresse dafür sofort.")),
    Rule("alerts_unconfirmed", "UNCONFIRMED_RETENTION_DAYS", _l(
        "Nicht bestätigte Benachrichtigungen löschen wir nach %(days)d Tagen."),
         alert_subscriptions.delete_unconfirmed),
    Rule("alerts_inactive", "ALERT_RETENTION_DAYS", _l(
        "Benachrichtigungen, für die wir %(days)d Tage lang keine E-Mail geschickt haben, "
        "löschen wir samt E-Mail-Adresse."), alert_subscriptions.delete_inactive),
)


def apply_all(config, now: datetime | None = None) -> dict[str, int]:
    """Apply every rule that `flask campaign cleanup` runs; how many rows each one touched."""
    now = now or utcnow()
    return {rule.key: rule.apply(rule.days(config), now) for rule in RULES if rule.apply}


def personal_data_export(employer: Employer) -> dict:
    """Everything we hold about this entry and its contact person (GDPR Art. 15/20)."""
    private = employer.private
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.employer_id == employer.id)
                                 .order_by(AuditEntry.at)).all()
    return {
        "eintrag": {name: getattr(employer, name) for name in PUBLIC_FIELDS}
        | {"status": str(employer.status), "angelegt": employer.created_at.isoformat()},
        "kontakt": {name: _plain(getattr(private, name)) for name in PRIVATE_EXPORT_FIELDS},
        "verlauf": [{"zeit": e.at.isoformat(), "aktion": e.action,
                     "durch": e.actor.split(":")[0]} for e in history],
    }


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value
