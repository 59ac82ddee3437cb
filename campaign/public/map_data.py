"""The map's own compact payload: only what markers, filters and list cards need.

The open-data GeoJSON stays the complete public file; the map page loads this instead, a
fraction of its size: one array per field (similar values sit together, so gzip packs them),
repeated texts as indexes into small tables, offers and languages as bit sets, coordinates as
whole 1/100,000 degrees from the city's south-west corner, drop-in hours as short codes and
the search text already folded, the slug left out where it is the name's own. Everything else (description, contact, website) is on the
employer's page, which every card and popup links to. static/js/map.js (readPayload) decodes it.
"""

from __future__ import annotations

import json

from campaign.core.city import City, current_city
from campaign.core.text import fold, slugify
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.models import LocationSource
from campaign.opendata.files import Payload, make_payload
from campaign.public.entry_store import Snapshot
from campaign.public.snapshot import cached_file

MIMETYPE = "application/json; charset=utf-8"
SCALE = 100_000  # 5 decimals, about 1 m: the precision of the OpenStreetMap links
# Columns whose values repeat (a sector, a quarter, "am Empfang", opening hours, a chain's text)
# are sent once in a table and referred to by number.
TABLES = ("sector", "place", "city", "postal_code", "ask_for", "drop_in", "text")
TEXTS = ("slug", "name", "street")


def _degrees(value: float) -> int:
    """Whole 1/100,000 degrees, rounded exactly like the "%.5f" of links.osm_place_url."""
    return round(float(f"{value:.5f}") * SCALE)


def _bits(codes: list[str], order: list[str]) -> int:
    return sum(1 << order.index(code) for code in set(codes) if code in order)


def drop_in_code(drop_in: dict) -> str:
    """"o" for "during opening hours", else slots as day digit + HHMM + HHMM, comma-separated."""
    slots = drop_in.get("slots") or []
    if not slots:
        return "o" if drop_in.get("opening_hours") else ""
    return ",".join(f"{s['day']}{s['start'].replace(':', '')}{s['end'].replace(':', '')}"
                    for s in slots)


def slug_code(slug: str, name: str) -> str:
    """"" when the slug is the name's own (map.js slugify), "+x" for "<name's slug>-x"."""
    own = slugify(name)
    if slug == own:
        return ""
    return "+" + slug[len(own) + 1:] if slug.startswith(own + "-") else slug


APPROXIMATE = LocationSource.APPROXIMATE.value


def _values(entry: dict) -> dict:
    """One entry's values for every column (table columns still as their values)."""
    located = entry["lat"] is not None and entry["lon"] is not None
    return {
        "slug": slug_code(entry["slug"], entry["name"]), "name": entry["name"],
        "street": entry["street"], "sector": entry["sector"],
        "place": f"{entry['district']}|{entry['quarter']}", "city": entry["city"],
        "postal_code": entry["postal_code"], "ask_for": entry["ask_for"],
        "drop_in": drop_in_code(entry["drop_in"]),
        "text": fold(" ".join(t for t in (entry["occupations"], entry["description"]) if t)),
        "lat": _degrees(entry["lat"]) if located else None,
        "lon": _degrees(entry["lon"]) if located else None,
        # offers as bits, then one bit for step-free access and one for an approximate point
        "flags": _bits(entry["offers"], list(OFFER_LABELS))
        + (1 << len(OFFER_LABELS) if entry["step_free"] else 0)
        + (2 << len(OFFER_LABELS) if located and entry["location_source"] == APPROXIMATE else 0),
        "languages": _bits(entry["languages"], list(LANGUAGES)),
    }


def payload_dict(snapshot: Snapshot, city: City) -> dict:
    origin = [_degrees(v) for v in city.map["bounds"][0]]
    tables: dict[str, dict[str, int]] = {name: {} for name in TABLES}
    columns: dict[str, list] = {name: [] for name in (*TEXTS, *TABLES, "lat", "lon", "flags",
                                                      "languages")}
    for entry in snapshot.entries:
        values = _values(entry)
        for name in TABLES:
            table = tables[name]
            columns[name].append(table.setdefault(values.pop(name), len(table)))
        for name in ("lat", "lon"):
            value = values.pop(name)
            columns[name].append(None if value is None else value - origin[name == "lon"])
        for name, value in values.items():
            columns[name].append(value)
    return {"version": snapshot.version, "scale": SCALE, "origin": origin,
            "vocabulary": {"offers": list(OFFER_LABELS), "languages": list(LANGUAGES)},
            "tables": {name: list(values) for name, values in tables.items()},
            "count": len(snapshot), "columns": columns}


def map_payload(snapshot: Snapshot, city: City) -> Payload:
    body = json.dumps(payload_dict(snapshot, city), ensure_ascii=False, separators=(",", ":"))
    return make_payload(body.encode(), MIMETYPE, "map", snapshot.changed_at)


def map_file(snapshot: Snapshot) -> Payload:
    """The payload of this snapshot, built once (public.snapshot.cached_file)."""
    return cached_file(snapshot, "map", lambda s: map_payload(s, current_city()))
