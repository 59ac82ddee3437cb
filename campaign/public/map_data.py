"""The map's own compact payload: only what markers, filters and list cards need.

The open-data GeoJSON stays the complete public file; the map page loads this instead, a
fraction of its size: one array per field (similar values sit together, so gzip packs them),
repeated texts as indexes into small tables, offers and languages as bit sets, coordinates as
whole 1/100,000 degrees from the city's south-west corner, drop-in hours as short codes and
the search text already folded. Everything else (description, contact, website) is on the
employer's page, which every card and popup links to. static/js/map.js (readPayload) decodes it.
"""

from __future__ import annotations

import json

from campaign.core.city import City
from campaign.core.text import fold
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.opendata.files import Payload, make_payload
from campaign.public.snapshot import Snapshot

MIMETYPE = "application/json; charset=utf-8"
SCALE = 100_000  # 5 decimals, about 1 m: the precision of the OpenStreetMap links
TABLES = ("sector", "district", "quarter", "city")
TEXTS = ("slug", "name", "ask_for", "street", "postal_code")


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


def _table_index(tables: dict[str, dict[str, int]], name: str, value: str) -> int:
    return tables[name].setdefault(value, len(tables[name]))


def payload_dict(snapshot: Snapshot, city: City) -> dict:
    origin = [_degrees(v) for v in city.map["bounds"][0]]
    offers, languages = list(OFFER_LABELS), list(LANGUAGES)
    tables: dict[str, dict[str, int]] = {name: {} for name in TABLES}
    columns: dict[str, list] = {name: [] for name in (*TEXTS, *TABLES, "lat", "lon", "offers",
                                                      "languages", "step_free", "drop_in", "text")}
    for entry in snapshot.entries:
        for name in TEXTS:
            columns[name].append(entry[name])
        for name in TABLES:
            columns[name].append(_table_index(tables, name, entry[name]))
        located = entry["lat"] is not None and entry["lon"] is not None
        columns["lat"].append(_degrees(entry["lat"]) - origin[0] if located else None)
        columns["lon"].append(_degrees(entry["lon"]) - origin[1] if located else None)
        columns["offers"].append(_bits(entry["offers"], offers))
        columns["languages"].append(_bits(entry["languages"], languages))
        columns["step_free"].append(1 if entry["step_free"] else 0)
        columns["drop_in"].append(drop_in_code(entry["drop_in"]))
        columns["text"].append(fold(" ".join((entry["occupations"], entry["description"]))))
    return {"version": snapshot.version, "scale": SCALE, "origin": origin,
            "vocabulary": {"offers": offers, "languages": languages,
                           **{name: list(values) for name, values in tables.items()}},
            "count": len(snapshot.entries), "columns": columns}


def map_payload(snapshot: Snapshot, city: City) -> Payload:
    body = json.dumps(payload_dict(snapshot, city), ensure_ascii=False, separators=(",", ":"))
    return make_payload(body.encode(), MIMETYPE, "map")
