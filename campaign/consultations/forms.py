"""The staff form for a consultation point: details, up to three schedule rules, exceptions."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from campaign.consultations import schedule as sched
from campaign.consultations.vocabulary import KIND_LABELS, NTH_LABELS, TARGET_GROUPS
from campaign.core.city import current_city
from campaign.core.validators import (
    PlainText,
    Required,
    multiline_filter,
    point_in_city,
    postal_code,
    strip_filter,
)
from campaign.entries.dropin import WEEKDAYS, parse_time
from campaign.entries.vocabulary import LANGUAGES

S = [strip_filter]
RULES = 3
DATE_FORMAT = "%d.%m.%Y"
DATE_EXAMPLE = "03.02.2027"


def parse_date(text: str) -> date | None:
    """TT.MM.JJJJ (also T.M.JJJJ) as a date; None if unreadable."""
    try:
        return datetime.strptime(text.strip(), DATE_FORMAT).date()
    except ValueError:
        return None


def german_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime(DATE_FORMAT) if iso else ""


def _choice(text: str | None, allowed) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if value in allowed else None


class ConsultationForm(FlaskForm):
    provider = StringField(_l("Anbieter"), filters=S, validators=[
        Required(_l("Geben Sie an, wer die Beratung anbietet, zum Beispiel Jobcenter Bochum")),
        PlainText(200)])
    title = StringField(_l("Titel"), filters=S, validators=[
        Required(_l("Geben Sie einen Titel ein, zum Beispiel Sprechstunde im Stadtteilbüro")),
        PlainText(200)])
    description = TextAreaField(_l("Beschreibung (freiwillig)"), filters=[multiline_filter],
                                validators=[PlainText(800, multiline=True)])
    street = StringField(_l("Straße und Hausnummer"), filters=S, validators=[
        Required(_l("Geben Sie Straße und Hausnummer ein")), PlainText(200)])
    postal_code = StringField(_l("Postleitzahl"), filters=S, validators=[
        Required(_l("Geben Sie die Postleitzahl ein")), PlainText(20), postal_code])
    city = StringField(_l("Ort"), filters=S, validators=[
        Required(_l("Geben Sie den Ort ein")), PlainText(80)])
    quarter = SelectField(_l("Stadtteil"), validate_choice=False, validators=[
        Required(_l("Wählen Sie den Stadtteil aus"))])
    lat = StringField(_l("Breitengrad (freiwillig)"), filters=S, validators=[PlainText(30)])
    lon = StringField(_l("Längengrad (freiwillig)"), filters=S, validators=[PlainText(30)])
    target_groups = SelectMultipleField(_l("Für wen ist die Beratung?"),
                                        choices=list(TARGET_GROUPS.items()), validators=[
        Required(_l("Wählen Sie mindestens eine Zielgruppe aus"))])
    languages = SelectMultipleField(_l("Sprachen der Beratung"),
                                    choices=list(LANGUAGES.items()), validators=[
        Required(_l("Wählen Sie mindestens eine Sprache aus"))])
    contact = TextAreaField(_l("Kontakt (freiwillig)"), filters=[multiline_filter],
                            validators=[PlainText(400, multiline=True)])
    no_appointment = BooleanField(_l("Man kann ohne Termin kommen"))
    published = BooleanField(_l("Öffentlich zeigen"))
    exceptions = TextAreaField(_l("Ausfalltage (freiwillig)"), filters=[multiline_filter],
                               validators=[PlainText(2000, multiline=True)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarters = [q for qs in current_city().quarters_by_district.values() for q in qs]
        self.quarter.choices = [("", _l("Bitte auswählen"))] + [(q, q) for q in quarters]
        if not self.is_submitted() and not self.city.data:
            self.city.data = current_city().default_city
        self.location: tuple[float, float] | None = None
        self.parsed_rules: list[dict] = []
        self.parsed_exceptions: list[str] = []

    def rule_fields(self, number: int) -> dict:
        return {name: self[f"rule{number}_{name}"] for name in RULE_FIELDS}

    def validate_quarter(self, field):
        if field.data not in current_city().district_of:
            raise ValidationError(_l("Wählen Sie einen Stadtteil aus der Liste aus"))

    def validate_lat(self, field):
        self.location = point_in_city(field.data, self.lon.data)

    def validate_exceptions(self, field):
        days = []
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            day = parse_date(line)
            if day is None:
                raise ValidationError(_l("„%(line)s“ ist kein Datum. Schreiben Sie jeden Ausfalltag als TT.MM.JJJJ in eine eigene Zeile, zum Beispiel %(example)s",
                                         line=line.strip(), example=DATE_EXAMPLE))
            days.append(day.isoformat())
        self.parsed_exceptions = sorted(set(days))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.parsed_rules = []
        for number in range(1, RULES + 1):
            rule = self._check_rule(number)
            if rule:
                self.parsed_rules.append(rule)
        if valid and not self.parsed_rules and not self._rule_errors():
            self.rule1_kind.errors = [_l("Geben Sie mindestens einen regelmäßigen Termin an, zum Beispiel jede Woche dienstags von 9:00 bis 12:00")]
        return valid and not self._rule_errors()

    def _rule_errors(self) -> bool:
        return any(self[f"rule{n}_{name}"].errors for n in range(1, RULES + 1) for name in RULE_FIELDS)

    def _check_rule(self, number: int) -> dict | None:
        f = self.rule_fields(number)
        which = _l("Termin %(n)d", n=number)
        if not f["kind"].data:
            return None
        if f["kind"].data not in sched.KINDS:
            f["kind"].errors = [_l("%(which)s: Wählen Sie aus, wie oft er stattfindet", which=which)]
            return None
        weekday, nth = _choice(f["weekday"].data, range(7)), _choice(f["nth"].data, sched.NTH_VALUES)
        start_date = parse_date(f["start_date"].data or "")
        start, end = parse_time(f["start"].data or ""), parse_time(f["end"].data or "")
        until = parse_date(f["until"].data) if f["until"].data else None
        problems = (
            (f["weekday"], weekday is None, _l("%(which)s: Wählen Sie einen Wochentag aus der Liste aus", which=which)),
            (f["nth"], f["kind"].data == sched.MONTHLY and nth is None, _l("%(which)s: Wählen Sie aus, der wievielte Wochentag im Monat es ist", which=which)),
            (f["start_date"], start_date is None, _l("%(which)s: Geben Sie an, ab wann er gilt, als TT.MM.JJJJ, zum Beispiel %(example)s", which=which, example=DATE_EXAMPLE)),
            (f["start"], start is None, _l("%(which)s: Geben Sie bei „von“ eine Uhrzeit ein, zum Beispiel 9:00", which=which)),
            (f["end"], end is None, _l("%(which)s: Geben Sie bei „bis“ eine Uhrzeit ein, zum Beispiel 12:00", which=which)),
            (f["end"], start and end and end <= start, _l("%(which)s: Die Uhrzeit bei „bis“ muss nach der Uhrzeit bei „von“ liegen", which=which)),
            (f["until"], bool(f["until"].data) and until is None, _l("%(which)s: Geben Sie „gilt bis“ als TT.MM.JJJJ ein oder lassen Sie das Feld leer", which=which)),
            (f["until"], until and start_date and until < start_date, _l("%(which)s: „gilt bis“ muss nach dem Beginn liegen", which=which)),
        )
        for field, failed, message in problems:
            if failed and not field.errors:
                field.errors = [message]
                return None
        rule = {"kind": f["kind"].data, "weekday": weekday,
                "start_date": start_date.isoformat(), "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"), "until": until.isoformat() if until else ""}
        if rule["kind"] == sched.MONTHLY:
            rule["nth"] = nth
        first = sched.first_date(rule)
        if until and until < first:
            f["until"].errors = [_l("%(which)s: Der erste Termin wäre am %(first)s, also nach „gilt bis“. Ändern Sie eines der beiden Daten",
                                    which=which, first=first.strftime(DATE_FORMAT))]
            return None
        return rule

    def values(self) -> dict:
        """The column values for campaign.consultations.operations."""
        lat, lon = self.location or (None, None)
        return {
            "provider": self.provider.data, "title": self.title.data,
            "description": self.description.data, "street": self.street.data,
            "postal_code": self.postal_code.data, "city": self.city.data,
            "quarter": self.quarter.data, "district": current_city().district_of[self.quarter.data],
            "lat": lat, "lon": lon, "target_groups": list(self.target_groups.data),
            "languages": list(self.languages.data), "contact": self.contact.data,
            "no_appointment": bool(self.no_appointment.data),
            "published": bool(self.published.data),
            "schedule": {"rules": self.parsed_rules, "exceptions": self.parsed_exceptions},
        }

    def fill_from(self, point) -> None:
        for name in ("provider", "title", "description", "street", "postal_code", "city",
                     "quarter", "target_groups", "languages", "contact", "no_appointment",
                     "published"):
            self[name].data = getattr(point, name)
        self.lat.data = "" if point.lat is None else str(point.lat)
        self.lon.data = "" if point.lon is None else str(point.lon)
        for number, rule in enumerate(sched.rules_of(point.schedule), start=1):
            f = self.rule_fields(number)
            f["kind"].data, f["weekday"].data = rule["kind"], str(rule["weekday"])
            f["nth"].data = str(rule.get("nth", 1))
            f["start_date"].data = german_date(rule["start_date"])
            f["until"].data = german_date(rule.get("until", ""))
            f["start"].data, f["end"].data = rule["start"], rule["end"]
        self.exceptions.data = "\n".join(german_date(d) for d in
                                         (point.schedule or {}).get("exceptions", []))


RULE_FIELDS = ("kind", "weekday", "nth", "start_date", "start", "end", "until")
_KIND_CHOICES = [("", _l("Kein Termin"))] + list(KIND_LABELS.items())
_WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAYS)]
_NTH_CHOICES = [(str(n), label) for n, label in NTH_LABELS.items()]

for _n in range(1, RULES + 1):
    # Choices are checked in _check_rule, only for the rules in use.
    setattr(ConsultationForm, f"rule{_n}_kind", SelectField(
        _l("Wie oft?"), choices=_KIND_CHOICES, default="", validate_choice=False))
    setattr(ConsultationForm, f"rule{_n}_weekday", SelectField(
        _l("Wochentag"), choices=_WEEKDAY_CHOICES, validate_choice=False))
    setattr(ConsultationForm, f"rule{_n}_nth", SelectField(
        _l("Welcher im Monat? (nur bei „einmal im Monat“)"), choices=_NTH_CHOICES,
        validate_choice=False))
    setattr(ConsultationForm, f"rule{_n}_start_date", StringField(
        _l("Gilt ab (TT.MM.JJJJ)"), filters=S, validators=[Optional(), PlainText(20)]))
    setattr(ConsultationForm, f"rule{_n}_start", StringField(
        _l("von"), filters=S, validators=[Optional(), PlainText(10)]))
    setattr(ConsultationForm, f"rule{_n}_end", StringField(
        _l("bis"), filters=S, validators=[Optional(), PlainText(10)]))
    setattr(ConsultationForm, f"rule{_n}_until", StringField(
        _l("Gilt bis (TT.MM.JJJJ, freiwillig)"), filters=S, validators=[Optional(), PlainText(20)]))
