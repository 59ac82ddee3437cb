"""Self-service forms: asking for a link (one address field) and editing the entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField

from campaign.core.forms import VersionedForm
from campaign.core.validators import PlainText, Required, email_address, strip_filter
from campaign.entries.forms import EmployerDetailsForm


class MagicLinkForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), filters=[strip_filter], validators=[
        Required(_l("Geben Sie Ihre E-Mail-Adresse ein")), PlainText(254), email_address])


class ManageForm(VersionedForm, EmployerDetailsForm):
    """The employer's edit form; the version keeps a save from overwriting a staff change
    made while the form was open (a form sent without it is still accepted)."""

    def fill_from(self, employer) -> None:
        super().fill_from(employer)
        self.version.data = str(employer.version)
