"""The alert sign-up form: one address field; the filter travels in the query string."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField

from campaign.core.validators import PlainText, Required, email_address, strip_filter


class AlertForm(FlaskForm):
    email = EmailField(_l("Deine E-Mail-Adresse"), filters=[strip_filter], validators=[
        Required(_l("Gib deine E-Mail-Adresse ein")), PlainText(254), email_address])
