"""Forms: validation only. Every message tells the employer what to do (Sie)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import Optional, StopValidation, ValidationError

from campaign.core.city import current_city
from campaign.core.validators import (
    PlainText,
    Required,
    email_address,
    multiline_filter,
    phone_number,
    point_in_city,
    postal_code,
    strip_filter,
    web_address,
)
from campaign.entries.dropin import WEEKDAYS, format_time, parse_time, slots_by_day
from campaign.entries.lifecycle import Details
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.models import TEXT_KINDS, Editor, LocationSource, entry_fields, field_names

DESCRIPTION_MAX = 500
TEXT_FIELDS = tuple(f.name for f in entry_fields(private=False, editor=Editor.EMPLOYER)
                    if f.kind in TEXT_KINDS)
PRIVATE_FIELDS = field_names(private=True, editor=Editor.EMPLOYER)
S = [strip_filter]
# Details without a label of their own (the drop-in hours are a table of seven days).
DETAIL_LABELS = {"drop_in": _l("Zeiten ohne Termin"), "location_source": _l("Lage auf der Karte")}


class DayForm(Form):
    """One weekday of drop-in hours: ticked, from, to."""

    open = BooleanField()
    start = StringField(_l("von"), filters=S, validators=[PlainText(10)])
    end = StringField(_l("bis"), filters=S, validators=[PlainText(10)])


class ChoiceField(SelectField):
    """A select whose out-of-list answer gets a specific message instead of a generic one."""

    def __init__(self, label, invalid_message, **kwargs):
        super().__init__(label, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        if self.data and self.data not in {value for value, _label in self.choices}:
            raise StopValidation(self.invalid_message)


class EmployerDetailsForm(FlaskForm):
    """The public and private details of an entry; shared by sign-up and self-service."""

    name = StringField(_l("Name des Betriebs"), filters=S, validators=[
        Required(_l("Geben Sie den Namen des Betriebs ein")), PlainText(200)])
    sector = ChoiceField(_l("Branche"), _l("Wählen Sie eine Branche aus der Liste aus"),
                         validators=[Required(_l("Wählen Sie eine Branche aus"))])
    description = TextAreaField(_l("Kurzbeschreibung (freiwillig)"), filters=[multiline_filter],
                                validators=[PlainText(DESCRIPTION_MAX, multiline=True)])
    street = StringField(_l("Straße und Hausnummer"), filters=S, validators=[
        Required(_l("Geben Sie Straße und Hausnummer ein")), PlainText(200)])
    postal_code = StringField(_l("Postleitzahl"), filters=S, validators=[
        Required(_l("Geben Sie die Postleitzahl ein")), PlainText(20), postal_code])
    city = StringField(_l("Ort"), filters=S, validators=[
        Required(_l("Geben Sie den Ort ein")), PlainText(80)])
    district = ChoiceField(_l("Stadtbezirk"), _l("Wählen Sie einen Stadtbezirk aus der Liste aus"),
                           validators=[Required(_l("Wählen Sie den Stadtbezirk aus"))])
    quarter = ChoiceField(_l("Stadtteil"), _l("Wählen Sie einen Stadtteil aus der Liste aus"),
                          validators=[Required(_l("Wählen Sie den Stadtteil aus"))])
    lat = StringField(_l("Breitengrad (freiwillig)"), filters=S, validators=[PlainText(30)])
    lon = StringField(_l("Längengrad (freiwillig)"), filters=S, validators=[PlainText(30)])
    offers = SelectMultipleField(_l("Was bieten Sie an?"), choices=list(OFFER_LABELS.items()),
                                 validators=[Required(_l("Wählen Sie aus, was Ihr Betrieb anbietet"))])
    occupations = TextAreaField(_l("In welchen Berufen? (freiwillig)"), filters=[multiline_filter],
                                validators=[PlainText(500, multiline=True)])
    languages = SelectMultipleField(_l("Welche Sprachen spricht man an Ihrer Tür? (freiwillig)"),
                                    choices=list(LANGUAGES.items()), validators=[Optional()])
    drop_in = FieldList(FormField(DayForm), min_entries=7, max_entries=7)
    drop_in_opening_hours = BooleanField(
        _l("Junge Menschen können während unserer gesamten Öffnungszeiten kommen"))
    ask_for = StringField(_l("Wen sollen junge Menschen an der Tür fragen? (freiwillig)"),
                          filters=S, validators=[PlainText(200)])
    step_free = BooleanField(_l("Der Eingang ist stufenlos erreichbar"))
    website = URLField(_l("Internetseite (freiwillig)"), filters=S,
                       validators=[PlainText(300), web_address])
    public_phone = TelField(_l("Telefon für Jugendliche (freiwillig)"), filters=S,
                            validators=[PlainText(40), phone_number])
    public_email = EmailField(_l("E-Mail für Jugendliche (freiwillig)"), filters=S,
                              validators=[PlainText(254), email_address])
    contact_name = StringField(_l("Ihr Name"), filters=S, validators=[
        Required(_l("Geben Sie Ihren Namen ein")), PlainText(120)])
    contact_phone = TelField(_l("Ihre Telefonnummer (freiwillig)"), filters=S,
                             validators=[PlainText(40), phone_number])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        city = current_city()
        self.sector.choices = [("", _l("Bitte auswählen"))] + [(s, s) for s in city.sectors]
        self.district.choices = [("", _l("Bitte auswählen"))] + [
            (d, d) for d in city.quarters_by_district]
        self.quarter.choices = [("", _l("Bitte auswählen"))] + [
            (q, q) for qs in city.quarters_by_district.values() for q in qs]
        if not self.is_submitted() and not self.city.data:
            self.city.data = city.default_city
        self.day_errors: dict[int, str] = {}
        self.drop_in_missing: str | None = None
        self.drop_in_slots: list[dict] = []
        self.location: tuple[float, float] | None = None

    def validate_quarter(self, field):
        if self.district.data and field.data and (
            current_city().district_of.get(field.data) != self.district.data
        ):
            raise ValidationError(_l("%(quarter)s liegt nicht im Stadtbezirk %(district)s",
                                     quarter=field.data, district=self.district.data))

    def validate_lat(self, field):
        self.location = point_in_city(field.data, self.lon.data)

    def validate_drop_in(self, field):
        self.drop_in_slots = []
        for day, entry in enumerate(field.entries):
            message = self._check_day(day, entry.form)
            if message:
                self.day_errors[day] = message
        if self.day_errors:
            raise ValidationError(next(iter(self.day_errors.values())))
        if not self.drop_in_slots and not self.drop_in_opening_hours.data:
            self.drop_in_missing = _l("Geben Sie an, wann junge Menschen ohne Termin kommen können")
            raise ValidationError(self.drop_in_missing)

    def _check_day(self, day: int, sub: DayForm) -> str | None:
        name = WEEKDAYS[day]
        if sub.start.errors or sub.end.errors:
            return (sub.start.errors or sub.end.errors)[0]
        if not (sub.open.data or sub.start.data or sub.end.data):
            return None
        if not sub.start.data or not sub.end.data:
            return _l("Geben Sie an, von wann bis wann man am %(day)s ohne Termin kommen kann", day=name)
        start, end = parse_time(sub.start.data), parse_time(sub.end.data)
        if start is None:
            return _l("Geben Sie am %(day)s bei „von“ eine Uhrzeit ein, zum Beispiel 9:00 oder 14:30", day=name)
        if end is None:
            return _l("Geben Sie am %(day)s bei „bis“ eine Uhrzeit ein, zum Beispiel 9:00 oder 14:30", day=name)
        if end <= start:
            return _l("Am %(day)s muss die Uhrzeit bei „bis“ nach %(start)s Uhr liegen",
                      day=name, start=start.strftime("%-H:%M"))
        self.drop_in_slots.append(
            {"day": day, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")})
        return None

    def drop_in_value(self) -> dict:
        return {"opening_hours": bool(self.drop_in_opening_hours.data), "slots": self.drop_in_slots}

    def details(self) -> Details:
        """The validated values, split into public and private parts."""
        public = {name: self[name].data for name in TEXT_FIELDS}
        public.update(
            offers=[o for o in OFFER_LABELS if o in self.offers.data],
            languages=[code for code in LANGUAGES if code in (self.languages.data or [])],
            drop_in=self.drop_in_value(), step_free=bool(self.step_free.data),
            lat=self.location[0] if self.location else None,
            lon=self.location[1] if self.location else None,
            location_source=LocationSource.EXACT if self.location else LocationSource.NONE,
        )
        private = {name: self[name].data for name in PRIVATE_FIELDS}
        return Details(public=public, private=private)

    def differences(self, employer, include_pending: bool = False) -> list[str]:
        """Labels of the fields where this (validated) input differs from what the entry holds
        now: after an edit conflict, what sending the form again would change."""
        details = self.details()
        current = {key: getattr(employer, key) for key in details.public}
        if include_pending and employer.private:
            current.update(employer.private.pending_changes or {})
        saved = employer.private
        current.update({key: getattr(saved, key) if saved else "" for key in details.private})
        labels = []
        for key, value in {**details.public, **details.private}.items():
            if current[key] != value:
                label = str(DETAIL_LABELS.get(key) or self[key].label.text)
                if label not in labels:
                    labels.append(label)
        return labels

    def fill_from(self, employer) -> None:
        """Pre-fill the form with an entry's current values (for editing)."""
        for name in TEXT_FIELDS:
            self[name].data = getattr(employer, name)
        self.offers.data, self.languages.data = list(employer.offers), list(employer.languages)
        self.step_free.data = employer.step_free
        self.lat.data = "" if employer.lat is None else str(employer.lat)
        self.lon.data = "" if employer.lon is None else str(employer.lon)
        self.drop_in_opening_hours.data = bool(employer.drop_in.get("opening_hours"))
        for day, slots in enumerate(slots_by_day(employer.drop_in)):
            sub = self.drop_in.entries[day].form
            sub.open.data = bool(slots)
            sub.start.data = format_time(slots[0].start) if slots else ""
            sub.end.data = format_time(slots[0].end) if slots else ""
        if employer.private:
            for name in PRIVATE_FIELDS:
                self[name].data = getattr(employer.private, name)
