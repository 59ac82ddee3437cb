"""Staff forms: validation only. Labels are short imperatives, messages say what to do."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from campaign.admin.labels import ROLE_LABELS, STICKER_LABELS
from campaign.core.params import int_param
from campaign.core.validators import (
    PlainText,
    Required,
    email_address,
    multiline_filter,
    strip_filter,
)
from campaign.entries.forms import EmployerDetailsForm
from campaign.models import Role
from campaign.staff.passwords import policy_problem

S = [strip_filter]
MESSAGE_MAX = 2000


class LoginForm(FlaskForm):
    email = StringField(_l("E-Mail-Adresse"), filters=S, validators=[
        Required(_l("Geben Sie Ihre E-Mail-Adresse ein")), PlainText(254)])
    password = PasswordField(_l("Passwort"), validators=[
        Required(_l("Geben Sie Ihr Passwort ein")), PlainText(256)])


class CodeForm(FlaskForm):
    code = StringField(_l("Code aus Ihrer Authenticator-App"), filters=S, validators=[
        Required(_l("Geben Sie den 6-stelligen Code aus Ihrer App ein")), PlainText(20)])


class VersionedForm(FlaskForm):
    """Carries the entry version the staff member saw, so a later save cannot overwrite others."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        return int_param(self.version.data)


class DecisionForm(VersionedForm):
    decision = RadioField(_l("Entscheidung"), choices=[
        ("approve", _l("Freigeben")), ("question", _l("Änderung nötig")),
        ("reject", _l("Ablehnen"))], validators=[Required(_l("Wählen Sie eine Entscheidung aus"))])
    message = TextAreaField(_l("Nachricht an den Betrieb"), filters=[multiline_filter],
                            validators=[PlainText(MESSAGE_MAX, multiline=True)])

    def validate_message(self, field):
        if self.decision.data in ("question", "reject") and not field.data:
            raise ValidationError(_l("Schreiben Sie dem Betrieb, was fehlt oder warum Sie ablehnen"))


class EntryForm(VersionedForm, EmployerDetailsForm):
    """Everything staff may edit; staff edits go live at once."""

    sticker_name = StringField(_l("Name auf dem Aufkleber (freiwillig)"), filters=S,
                               validators=[PlainText(200)])
    is_subsidiary = BooleanField(_l("Tochtergesellschaft der Stadt"))
    contact_email = EmailField(_l("E-Mail-Adresse der Ansprechperson"), filters=S, validators=[
        Required(_l("Geben Sie die E-Mail-Adresse ein")), PlainText(254), email_address])

    def extras(self) -> dict:
        return {"sticker_name": self.sticker_name.data, "is_subsidiary": bool(self.is_subsidiary.data),
                "contact_email": self.contact_email.data}

    def fill_from(self, employer) -> None:
        super().fill_from(employer)
        self.sticker_name.data = employer.sticker_name
        self.is_subsidiary.data = employer.is_subsidiary
        self.contact_email.data = employer.private.contact_email if employer.private else ""
        self.version.data = str(employer.version)


class NotesForm(FlaskForm):
    internal_notes = TextAreaField(_l("Interne Notiz"), filters=[multiline_filter],
                                   validators=[PlainText(5000, multiline=True)])


class StickerForm(FlaskForm):
    sticker_status = SelectField(_l("Aufkleber"), choices=list(STICKER_LABELS.items()),
                                 validators=[Required(_l("Wählen Sie einen Stand aus"))])


def meets_password_policy(form, field):
    problem = policy_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class StaffForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), filters=S, validators=[
        Required(_l("Geben Sie die E-Mail-Adresse ein")), PlainText(254), email_address])
    role = SelectField(_l("Rolle"), choices=list(ROLE_LABELS.items()), default=Role.VIEWER.value)
    password = PasswordField(_l("Erstes Passwort"), validators=[
        Required(_l("Geben Sie ein Passwort ein")), PlainText(256), meets_password_policy])


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=list(ROLE_LABELS.items()))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Bisheriges Passwort"), validators=[
        Required(_l("Geben Sie Ihr bisheriges Passwort ein"))])
    password = PasswordField(_l("Neues Passwort"), validators=[
        Required(_l("Geben Sie ein neues Passwort ein")), PlainText(256), meets_password_policy])


class ImportForm(FlaskForm):
    wave = StringField(_l("Name der Welle"), filters=S, validators=[
        Required(_l("Geben Sie einen Namen für die Welle ein")), PlainText(120)])
    file = FileField(_l("CSV-Datei"))

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Wählen Sie eine CSV-Datei aus"))

