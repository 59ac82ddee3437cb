"""Open data files built from a snapshot: GeoJSON (RFC 7946) and CSV, precompressed once."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass

from flask import Flask, current_app

from campaign.core.spreadsheet import csv_text, defuse
from campaign.public.snapshot import PUBLIC_COLUMNS, Snapshot, cached_file, current_snapshot

log = logging.getLogger(__name__)

GEOJSON = "application/geo+json; charset=utf-8"
CSV = "text/csv; charset=utf-8; header=present"
# The slug is the feature id; the page is <PUBLIC_URL>/betrieb/<id> (the CSV has a url column).
PROPERTIES = tuple(c for c in PUBLIC_COLUMNS if c not in ("slug", "lat", "lon"))
CSV_COLUMNS = ("slug", "url", *(c for c in PUBLIC_COLUMNS if c != "slug"))
WEEKDAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # as in OSM opening_hours


@dataclass(frozen=True)
class Payload:
    body: bytes
    gzipped: bytes
    etag: str
    mimetype: str


def make_payload(body: bytes, mimetype: str, label: str) -> Payload:
    digest = hashlib.sha256(body).hexdigest()[:20]
    return Payload(body=body, gzipped=gzip.compress(body, compresslevel=9, mtime=0),
                   etag=f"{label}-{digest}", mimetype=mimetype)


def page_url_prefix() -> str:
    """Absolute URL of an employer page minus the slug (slugs are plain ASCII)."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + current_app.url_map.bind("localhost").build("public.employer", {"slug": "x"})[:-1]


def feature(entry: dict) -> dict:
    """A GeoJSON Feature; 5 decimals (about 1 m) are plenty to find a door."""
    geometry = None
    if entry["lat"] is not None and entry["lon"] is not None:
        geometry = {"type": "Point",
                    "coordinates": [round(entry["lon"], 5), round(entry["lat"], 5)]}
    return {"type": "Feature", "id": entry["slug"], "geometry": geometry,
            "properties": {key: entry[key] for key in PROPERTIES}}


def geojson_bytes(snapshot: Snapshot) -> bytes:
    collection = {"type": "FeatureCollection",
                  "features": [feature(e) for e in snapshot.entries]}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def drop_in_text(drop_in: dict) -> str:
    """Machine-readable drop-in hours in OSM opening_hours style, e.g. "Mo 09:00-16:00"."""
    slots = sorted(drop_in.get("slots", []), key=lambda s: (s["day"], s["start"]))
    if not slots:
        return "opening_hours" if drop_in.get("opening_hours") else ""
    return "; ".join(f"{WEEKDAY_CODES[s['day']]} {s['start']}-{s['end']}" for s in slots)


def csv_row(entry: dict, prefix: str) -> list[str]:
    values = {**entry, "url": prefix + entry["slug"], "offers": ";".join(entry["offers"]),
              "languages": ";".join(entry["languages"]), "drop_in": drop_in_text(entry["drop_in"]),
              "step_free": "ja" if entry["step_free"] else "nein",
              "is_subsidiary": "ja" if entry["is_subsidiary"] else "nein"}
    return [defuse(values[column], keep_numbers=True) for column in CSV_COLUMNS]


def csv_bytes(snapshot: Snapshot) -> bytes:
    """UTF-8 with a BOM (so spreadsheets keep the umlauts), comma-separated, formulas defused."""
    prefix = page_url_prefix()
    rows = (csv_row(e, prefix) for e in snapshot.entries)
    return csv_text([CSV_COLUMNS, *rows], ",").encode()


def geojson_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "geojson",
                       lambda s: make_payload(geojson_bytes(s), GEOJSON, "geojson"))


def csv_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "csv", lambda s: make_payload(csv_bytes(s), CSV, "csv"))


def warm_up(app: Flask) -> None:
    """Build the snapshot and both files before the first visitor asks (gunicorn hook)."""
    if "campaign_city" not in getattr(app, "extensions", {}):
        return  # another WSGI app served from this folder
    try:
        with app.app_context():
            snapshot = current_snapshot()
            geojson_payload(snapshot)
            csv_payload(snapshot)
    except Exception:  # a worker must start even when the database is not there yet
        log.warning("Could not warm the open data cache", exc_info=True)
