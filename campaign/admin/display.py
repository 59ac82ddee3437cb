"""How entry fields read on staff pages: German field names and values as text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.admin.access import bp
from campaign.admin.labels import ROLE_LABELS, STICKER_LABELS
from campaign.entries.exports import drop_in_text
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS

FIELD_LABELS = {
    "name": _l("Name"), "sticker_name": _l("Name auf dem Aufkleber"), "sector": _l("Branche"),
    "description": _l("Kurzbeschreibung"), "street": _l("Straße und Hausnummer"),
    "postal_code": _l("Postleitzahl"), "city": _l("Ort"), "district": _l("Stadtbezirk"),
    "quarter": _l("Stadtteil"), "lat": _l("Breitengrad"), "lon": _l("Längengrad"),
    "offers": _l("Angebote"), "occupations": _l("Berufe"), "languages": _l("Sprachen"),
    "drop_in": _l("Ohne Termin"), "ask_for": _l("Fragen nach"), "step_free": _l("Stufenlos"),
    "website": _l("Internetseite"), "public_phone": _l("Telefon für Jugendliche"),
    "public_email": _l("E-Mail für Jugendliche"), "is_subsidiary": _l("Tochtergesellschaft"),
    "contact_name": _l("Ansprechperson"), "contact_email": _l("E-Mail der Ansprechperson"),
    "contact_phone": _l("Telefon der Ansprechperson"),
}
EMPTY = _l("Nicht angegeben")


def field_value(key: str, value) -> str:
    """A field's value as staff read it; empty values say so."""
    if value in (None, "", [], {}):
        return str(EMPTY)
    if key == "offers":
        return ", ".join(str(OFFER_LABELS.get(o, o)) for o in value)
    if key == "languages":
        return ", ".join(LANGUAGES.get(c, c) for c in value)
    if key == "drop_in":
        return drop_in_text(value) or str(EMPTY)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def audit_details(details: dict) -> str:
    """Audit details as a short line: field lists joined, other values as they are."""
    parts = []
    for key, value in (details or {}).items():
        if isinstance(value, list):
            value = ", ".join(str(FIELD_LABELS.get(v, v)) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


@bp.record_once
def register_helpers(state) -> None:
    """Jinja globals (not context), so that imported staff macros can use them too."""
    state.app.jinja_env.globals.update({"field_value": field_value, "FIELD_LABELS": FIELD_LABELS,
            "STICKER_LABELS": STICKER_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "STATUS_LABELS": STATUS_LABELS, "pairs": lambda values: [(v, v) for v in values],
            "audit_details": audit_details})
