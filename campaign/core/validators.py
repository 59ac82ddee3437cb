"""WTForms validators and filters with German messages for employers (Sie)."""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

from campaign.core.city import current_city
from campaign.core.text import has_forbidden_characters, normalise

_PHONE = re.compile(r"^\+?[0-9 ()/\-]{5,30}$")


def strip_filter(value):
    """Trim and normalise; a field missing from the request becomes "" (columns are NOT NULL)."""
    return normalise(value) if isinstance(value, str | None) else value


def multiline_filter(value):
    return normalise(value, multiline=True) if isinstance(value, str | None) else value


class PlainText:
    """Refuse control, bidi-override and zero-width characters; limit the length."""

    def __init__(self, max_length: int, multiline: bool = False):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form, field):
        value = field.data or ""
        if has_forbidden_characters(value, self.multiline):
            raise StopValidation(
                _l("%(label)s enthält unsichtbare Steuerzeichen. Tippen Sie den Text neu ein",
                   label=field.label.text)
            )
        if len(value) > self.max_length:
            raise StopValidation(
                _l("%(label)s darf höchstens %(max)d Zeichen haben",
                   label=field.label.text, max=self.max_length)
            )


class Required:
    """Stop with a specific instruction when the field is empty."""

    def __init__(self, message):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if not field.data or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)


def email_address(form, field):
    if not field.data:
        return
    try:
        result = validate_email(field.data, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        raise ValidationError(
            _l("Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@beispiel.de")
        ) from None
    field.data = result.normalized


def web_address(form, field):
    """Only absolute http(s) URLs; add https:// when people type www.example.de."""
    value = field.data or ""
    if not value:
        return
    if "://" not in value and re.match(r"^[\w-]+(\.[\w-]+)+(/.*)?$", value):
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise ValidationError(
            _l("Geben Sie die Internetadresse vollständig ein, zum Beispiel https://www.beispiel.de")
        )
    field.data = value


def phone_number(form, field):
    value = field.data or ""
    digits = sum(ch.isdigit() for ch in value)
    if value and (not _PHONE.match(value) or digits < 5):
        raise ValidationError(
            _l("Geben Sie eine Telefonnummer ein, zum Beispiel 0234 123456 oder +49 234 123456")
        )


def postal_code(form, field):
    value = re.sub(r"[\s.]", "", field.data or "")
    field.data = value
    if not (len(value) == 5 and value.isascii() and value.isdigit()):
        raise ValidationError(_l("Die Postleitzahl muss 5 Ziffern haben, zum Beispiel 44787"))
    if not current_city().accepts_postal_code(value):
        low, high = current_city().postal_code_range
        raise ValidationError(
            _l("Der Betrieb muss in %(city)s liegen. Die Postleitzahl liegt zwischen %(low)s und %(high)s",
               city=current_city().city_name, low=low, high=high)
        )


def coordinate(value: str) -> float | None:
    """A finite float or None."""
    try:
        number = float(value.replace(",", "."))
    except (AttributeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def point_in_city(lat_text: str | None, lon_text: str | None) -> tuple[float, float] | None:
    """Typed latitude and longitude as a point inside the city; None when both are empty."""
    if not lat_text and not lon_text:
        return None
    lat, lon = coordinate(lat_text or ""), coordinate(lon_text or "")
    if lat is None or lon is None:
        raise ValidationError(_l("Geben Sie Breiten- und Längengrad als Zahlen ein, zum Beispiel 51.4818 und 7.2162"))
    if not current_city().contains(lat, lon):
        raise ValidationError(_l("Dieser Punkt liegt nicht in %(city)s", city=current_city().city_name))
    return (round(lat, 6), round(lon, 6))
