"""Staff CSV export: UTF-8 with BOM and semicolons so German Excel opens it, formulas defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from campaign.entries.dropin import WEEKDAYS
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS
from campaign.models import Employer

# Sticker states as staff read them (the panel uses the same labels).
STICKER_LABELS = {
    "none": _l("Kein Aufkleber"),
    "requested": _l("Angefordert"),
    "printed": _l("Gedruckt"),
    "handed_over": _l("Übergeben"),
    "on_door": _l("Hängt an der Tür"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

PUBLIC_COLUMNS = [
    (_l("ID"), lambda e: e.id),
    (_l("Name"), lambda e: e.name),
    (_l("Status"), lambda e: STATUS_LABELS.get(e.status, e.status)),
    (_l("Branche"), lambda e: e.sector),
    (_l("Straße"), lambda e: e.street),
    (_l("PLZ"), lambda e: e.postal_code),
    (_l("Ort"), lambda e: e.city),
    (_l("Stadtbezirk"), lambda e: e.district),
    (_l("Stadtteil"), lambda e: e.quarter),
    (_l("Breitengrad"), lambda e: "" if e.lat is None else str(e.lat).replace(".", ",")),
    (_l("Längengrad"), lambda e: "" if e.lon is None else str(e.lon).replace(".", ",")),
    (_l("Angebote"), lambda e: ", ".join(str(OFFER_LABELS.get(o, o)) for o in e.offers or [])),
    (_l("Berufe"), lambda e: e.occupations),
    (_l("Sprachen"), lambda e: ", ".join(LANGUAGES.get(c, c) for c in e.languages or [])),
    (_l("Ohne Termin"), lambda e: drop_in_text(e.drop_in or {})),
    (_l("Fragen nach"), lambda e: e.ask_for),
    (_l("Stufenlos"), lambda e: "ja" if e.step_free else "nein"),
    (_l("Internetseite"), lambda e: e.website),
    (_l("Telefon öffentlich"), lambda e: e.public_phone),
    (_l("E-Mail öffentlich"), lambda e: e.public_email),
    (_l("Tochtergesellschaft"), lambda e: "ja" if e.is_subsidiary else "nein"),
    (_l("Freigegeben am"), lambda e: e.published_at.strftime("%d.%m.%Y") if e.published_at else ""),
]
PRIVATE_COLUMNS = [
    (_l("Ansprechperson"), lambda p: p.contact_name),
    (_l("E-Mail Ansprechperson"), lambda p: p.contact_email),
    (_l("Telefon Ansprechperson"), lambda p: p.contact_phone),
    (_l("Aufkleber"), lambda p: str(STICKER_LABELS.get(p.sticker_status, p.sticker_status))),
    (_l("Welle"), lambda p: p.wave.name if p.wave else ""),
    (_l("Einwilligung am"), lambda p: p.consent_confirmed_at.strftime("%d.%m.%Y")
     if p.consent_confirmed_at else ""),
    (_l("Interne Notiz"), lambda p: p.internal_notes),
]


def drop_in_text(drop_in: dict) -> str:
    if drop_in.get("opening_hours"):
        return str(_l("während der Öffnungszeiten"))
    return "; ".join(f"{WEEKDAYS[s['day']]} {s['start']}–{s['end']}"
                     for s in drop_in.get("slots", []))


def neutralise(value) -> str:
    """Make a cell that a spreadsheet would run as a formula into plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(include_private: bool) -> list[str]:
    columns = PUBLIC_COLUMNS + PRIVATE_COLUMNS if include_private else PUBLIC_COLUMNS
    return [str(name) for name, _get in columns]


def row(employer: Employer, include_private: bool) -> list[str]:
    cells = [get(employer) for _name, get in PUBLIC_COLUMNS]
    if include_private:
        private = employer.private
        cells += [get(private) if private else "" for _name, get in PRIVATE_COLUMNS]
    return [neutralise(cell) for cell in cells]


def employers_csv(employers: Iterable[Employer], include_private: bool) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header(include_private))
    for employer in employers:
        writer.writerow(row(employer, include_private))
    return out.getvalue()
