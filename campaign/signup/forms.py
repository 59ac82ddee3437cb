"""The sign-up form: the entry's details plus the contact address, consent and the bot check."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField

from campaign.core.forms import BotCheckForm
from campaign.core.validators import PlainText, Required, email_address, strip_filter
from campaign.entries.forms import EmployerDetailsForm

S = [strip_filter]


class SignupForm(EmployerDetailsForm, BotCheckForm):
    contact_email = EmailField(_l("Ihre E-Mail-Adresse"), filters=S, validators=[
        Required(_l("Geben Sie Ihre E-Mail-Adresse ein")), PlainText(254), email_address])
    consent = BooleanField(
        _l("Ich bin einverstanden, dass die Stadt die öffentlichen Angaben auf der Karte zeigt "
           "und mich zu diesem Eintrag kontaktiert."),
        validators=[Required(_l("Stimmen Sie der Veröffentlichung zu, damit wir Ihren Betrieb "
                                "auf der Karte zeigen können"))])
