"""Asking for a self-service link: one address field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField

from campaign.core.validators import PlainText, Required, email_address, strip_filter


class MagicLinkForm(FlaskForm):
    email = EmailField(_l("E-Mail-Adresse"), filters=[strip_filter], validators=[
        Required(_l("Geben Sie Ihre E-Mail-Adresse ein")), PlainText(254), email_address])
