"""How entry fields read on staff pages: German field names and values as text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from campaign.admin.access import bp, sees_private_data
from campaign.admin.labels import LOCATION_LABELS, PAUSED_BY_LABELS, ROLE_LABELS, STICKER_LABELS
from campaign.entries.exports import drop_in_text
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS, STATUS_LABELS
from campaign.models import ENTRY_FIELDS, Editor, Kind

FIELD_LABELS = {f.name: f.label for f in ENTRY_FIELDS} | {"location_kind": _l("Genauigkeit der Lage")}
FIELD_KINDS = {f.name: f.kind for f in ENTRY_FIELDS}
PRIVATE_NAMES = frozenset(f.name for f in ENTRY_FIELDS if f.private)
# The public fields staff read in an entry's summary: everything anyone entered.
# Staff read how exact the point is as location_kind, which also covers points typed in.
SUMMARY_FIELDS = tuple("location_kind" if f.name == "location_source" else f.name
                       for f in ENTRY_FIELDS if not f.private and f.editor != Editor.NOBODY)
EMPTY = _l("Nicht angegeben")


def field_value(key: str, value) -> str:
    """A field's value as staff read it; empty values say so."""
    if key in ("location_source", "location_kind"):
        return str(LOCATION_LABELS.get(value or "", value))
    if value in (None, "", [], {}):
        return str(EMPTY)
    kind = FIELD_KINDS.get(key)
    if kind == Kind.OFFERS:
        return ", ".join(str(OFFER_LABELS.get(o, o)) for o in value)
    if kind == Kind.LANGUAGES:
        return ", ".join(LANGUAGES.get(c, c) for c in value)
    if kind == Kind.DROP_IN:
        return drop_in_text(value) or str(EMPTY)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value)


def audit_details(details: dict) -> str:
    """Audit details as a short line: field lists joined, other values as they are.
    A detail that is a private field (the privacy-notice version) only for reviewers."""
    parts = []
    for key, value in (details or {}).items():
        if key in PRIVATE_NAMES and not sees_private_data():
            continue
        if isinstance(value, list):
            value = ", ".join(str(FIELD_LABELS.get(v, v)) for v in value)
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


@bp.record_once
def register_helpers(state) -> None:
    """Jinja globals (not context), so that imported staff macros can use them too."""
    state.app.jinja_env.globals.update({"field_value": field_value, "FIELD_LABELS": FIELD_LABELS,
            "SUMMARY_FIELDS": SUMMARY_FIELDS,
            "STICKER_LABELS": STICKER_LABELS, "ROLE_LABELS": ROLE_LABELS,
            "PAUSED_BY_LABELS": PAUSED_BY_LABELS,
            "STATUS_LABELS": STATUS_LABELS, "pairs": lambda values: [(v, v) for v in values],
            "audit_details": audit_details})
