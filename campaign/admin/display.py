"""How entry fields read on staff pages: German field names and values as text."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from campaign.admin.access import bp
from campaign.admin.labels import LOCATION_LABELS, ROLE_LABELS, STICKER_LABELS
from campaign.entries.exports import drop_in_text
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS
from campaign.extensions import db
from campaign.models import StaffUser

FIELD_LABELS = {
    "name": _l("Name"), "sticker_name": _l("Name auf dem Aufkleber"), "sector": _l("Branche"),
    "description": _l("Kurzbeschreibung"), "street": _l("Straße und Hausnummer"),
    "postal_code": _l("Postleitzahl"), "city": _l("Ort"), "district": _l("Stadtbezirk"),
    "quarter": _l("Stadtteil"), "lat": _l("Breitengrad"), "lon": _l("Längengrad"),
    "location_source": _l("Genauigkeit der Lage"), "location_kind": _l("Genauigkeit der Lage"),
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
    if key in ("location_source", "location_kind"):
        return str(LOCATION_LABELS.get(value or "", value))
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


def actor_name(actor: str) -> str:
    """The staff e-mail for "staff:<id>", otherwise a German name for the actor."""
    if "actor_names" not in g:
        g.actor_names = actor_names()
    return g.actor_names.get(actor, actor)


def actor_names() -> dict[str, str]:
    names = {"employer": str(_l("Betrieb")), "system": str(_l("System"))}
    for staff_id, email in db.session.execute(db.select(StaffUser.id, StaffUser.email)):
        names[f"staff:{staff_id}"] = email
    return names


@bp.record_once
def register_helpers(state) -> None:
    """Jinja globals (not context), so that imported staff macros can use them too."""
    state.app.jinja_env.globals.update({"field_value": field_value, "FIELD_LABELS": FIELD_LABELS,
            "STICKER_LABELS": STICKER_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "STATUS_LABELS": STATUS_LABELS, "pairs": lambda values: [(v, v) for v in values],
            "audit_details": audit_details, "actor_name": actor_name})
