"""The map's own compact payload: only what markers, filters and list cards need.

The open-data GeoJSON stays the complete public file; the map page loads this instead, a
fraction of its size: one array per field (similar values sit together, so gzip packs them),
repeated texts as indexes into small tables, offers and languages as bit sets, coordinates as
whole 1/100,000 degrees from the city's south-west corner, drop-in hours as short codes and
the search text already folded, the slug left out where it is the name's own. Everything else (description, contact, website) is on the
employer's page, which every card and popup links to. static/js/map.js (readPayload) decodes it.

It is joined from one piece per chunk of entries (public.chunks), so after a change only the
changed chunks' entries are decoded again; the joined text is compressed as a whole, since
gzip packs a column best in one run.
"""

from __future__ import annotations

import json
import zlib
from array import array
from dataclasses import dataclass, field

from campaign.core.city import City, current_city
from campaign.core.text import fold, slugify
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.models import LocationSource
from campaign.opendata.files import Payload, make_payload
from campaign.public.chunks import built_parts
from campaign.public.entry_store import Snapshot, decode
from campaign.public.snapshot import cached_file

MIMETYPE = "application/json; charset=utf-8"
SCALE = 100_000  # 5 decimals, about 1 m: the precision of the OpenStreetMap links
# Columns whose values repeat (a sector, a quarter, "am Empfang", opening hours, a chain's text)
# are sent once in a table and referred to by number.
TABLES = ("sector", "place", "city", "postal_code", "ask_for", "drop_in", "text")
TEXTS = ("slug", "name", "street")
PLAIN = (*TEXTS, "lat", "lon", "flags", "languages")  # columns of the values themselves
COLUMNS = (*TEXTS, *TABLES, "lat", "lon", "flags", "languages")


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


@dataclass(frozen=True)
class _Piece:
    """One chunk's share of the payload. Table numbers depend on the chunks before (a table
    lists values in order of first use), so a piece keeps its own small tables and numbers
    into them; payload_body() renumbers them, which is quick (no entry is decoded)."""

    # the plain columns' values as JSON without the brackets, "\x00"-separated in PLAIN order,
    # deflated (names and streets are most of a worker's map memory otherwise)
    packed_texts: bytes
    values: dict[str, list[str]]  # table column -> the chunk's values in order of first use
    numbers: dict[str, array]  # table column -> per entry, the number of its value in values
    # table column -> (the last renumbering, the column as JSON with it); a change elsewhere
    # rarely moves a table's numbers, so this is mostly taken as it is
    renumbered: dict[str, tuple[list[int], str]] = field(default_factory=dict)

    def texts(self) -> dict[str, str]:
        return dict(zip(PLAIN, zlib.decompress(self.packed_texts).decode().split("\x00"),
                        strict=True))

    def numbers_text(self, name: str, renumbering: list[int]) -> str:
        last = self.renumbered.get(name)
        if last is None or last[0] != renumbering:
            numbers = list(map(renumbering.__getitem__, self.numbers[name]))
            last = self.renumbered[name] = (renumbering, _json(numbers)[1:-1])
        return last[1]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _piece(records: tuple[bytes, ...], origin: tuple[int, int]) -> _Piece:
    columns: dict[str, list] = {name: [] for name in PLAIN}
    tables: dict[str, dict[str, int]] = {name: {} for name in TABLES}
    numbers = {name: array("H") for name in TABLES}  # a chunk has a few hundred entries
    for record in records:
        values = _values(decode(record))
        for name in TABLES:
            table = tables[name]
            numbers[name].append(table.setdefault(values.pop(name), len(table)))
        for name in ("lat", "lon"):
            value = values.pop(name)
            columns[name].append(None if value is None else value - origin[name == "lon"])
        for name, value in values.items():
            columns[name].append(value)
    texts = "\x00".join(_json(columns[name])[1:-1] for name in PLAIN)
    return _Piece(zlib.compress(texts.encode(), 1),
                  {name: list(table) for name, table in tables.items()}, numbers)


def payload_body(snapshot: Snapshot, city: City) -> str:
    """The payload as JSON text: the pieces of every chunk (public.chunks, built only for
    chunks no snapshot before had), their tables merged and their numbers changed to match."""
    origin = tuple(_degrees(v) for v in city.map["bounds"][0])
    pieces = built_parts(snapshot, ("map", origin), lambda records: _piece(records, origin))
    tables: dict[str, dict[str, int]] = {name: {} for name in TABLES}
    columns: dict[str, list[str]] = {name: [] for name in COLUMNS}
    for piece in pieces:
        for name in TABLES:
            table = tables[name]
            renumbering = [table.setdefault(value, len(table)) for value in piece.values[name]]
            columns[name].append(piece.numbers_text(name, renumbering))
        for name, text in piece.texts().items():
            columns[name].append(text)
    head = _json({"version": snapshot.version, "scale": SCALE, "origin": list(origin),
                  "vocabulary": {"offers": list(OFFER_LABELS), "languages": list(LANGUAGES)},
                  "tables": {name: list(values) for name, values in tables.items()},
                  "count": len(snapshot)})
    body = ",".join(f'"{name}":[{",".join(columns[name])}]' for name in COLUMNS)
    return f'{head[:-1]},"columns":{{{body}}}}}'


def map_payload(snapshot: Snapshot, city: City) -> Payload:
    return make_payload(payload_body(snapshot, city).encode(), MIMETYPE, "map",
                        snapshot.changed_at)


def map_file(snapshot: Snapshot) -> Payload:
    """The payload of this snapshot, built once (public.snapshot.cached_file)."""
    return cached_file(snapshot, "map", lambda s: map_payload(s, current_city()))
