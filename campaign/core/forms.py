"""Base forms every feature builds on: CSRF-only buttons and the bot check of public forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from campaign.core import tokens
from campaign.core.params import int_param


class ActionForm(FlaskForm):
    """CSRF-only form for POST buttons."""


class VersionedForm(FlaskForm):
    """Carries the entry version the person saw, so a later save cannot overwrite others."""

    version = HiddenField()

    def seen_version(self) -> int | None:
        return int_param(self.version.data)


class BotCheckForm(FlaskForm):
    """A public form people fill by hand: a field nobody sees and a signed render time."""

    website_confirm = StringField(_l("Dieses Feld bitte leer lassen"))
    form_started = HiddenField()

    def arm(self) -> None:
        """Stamp the render time and empty the trap before the form is shown. A form shown
        again (with errors) keeps the time it was first shown, under a fresh nonce: a person
        correcting one field is not "too fast"."""
        timer = tokens.read_form_timer(self.form_started.data)
        self.form_started.data = tokens.form_timer(timer[0] if timer else None)
        self.website_confirm.data = ""

    def filled_by_bot(self) -> bool:
        return bool(self.website_confirm.data)

    def sent_too_fast(self, min_seconds: float) -> bool:
        elapsed = tokens.seconds_since(self.form_started.data)
        return elapsed is None or elapsed < min_seconds
