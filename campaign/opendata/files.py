"""Open data files built from a snapshot: GeoJSON (RFC 7946) and CSV, kept gzipped only.

The GeoJSON is the snapshot's stored features joined; the CSV is written row by row into the
compressor. A client that does not take gzip gets the bytes decompressed as they are sent.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from campaign.core.spreadsheet import BOM, csv_text, defuse
from campaign.public.entry_store import PUBLIC_COLUMNS, Snapshot, feature_of
from campaign.public.snapshot import cached_file

GEOJSON = "application/geo+json; charset=utf-8"
CSV = "text/csv; charset=utf-8; header=present"
# The slug is the feature id; the page is <PUBLIC_URL>/betrieb/<id> (the CSV has a url column).
CSV_COLUMNS = ("slug", "url", *(c for c in PUBLIC_COLUMNS if c != "slug"))
WEEKDAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # as in OSM opening_hours


COMPRESS_LEVEL = 6  # level 9 takes twice as long for 2 % less
# The open-data files are rebuilt after every change and downloaded rarely: level 3 takes
# half the time of 6 for about 10 % more bytes.
FILE_LEVEL = 3
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Payload:
    gzipped: bytes
    etag: str
    mimetype: str
    changed_at: datetime | None  # of the snapshot it was made from (Last-Modified)

    def plain(self) -> Iterator[bytes]:
        """The bytes uncompressed, a piece at a time."""
        inflater = zlib.decompressobj(wbits=31)
        for start in range(0, len(self.gzipped), CHUNK):
            yield inflater.decompress(self.gzipped[start:start + CHUNK])
        yield inflater.flush()


def gzipped_payload(gzipped: bytes, mimetype: str, label: str,
                    changed_at: datetime | None) -> Payload:
    """The ETag is the compressed bytes' digest: gzip with mtime 0 makes the same bytes, so
    every worker gives the same ETag."""
    return Payload(gzipped=gzipped, etag=f"{label}-{hashlib.sha256(gzipped).hexdigest()[:20]}",
                   mimetype=mimetype, changed_at=changed_at)


def make_payload(body: bytes, mimetype: str, label: str,
                 changed_at: datetime | None = None) -> Payload:
    return gzipped_payload(gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0),
                           mimetype, label, changed_at)


def page_url_prefix() -> str:
    """Absolute URL of an employer page minus the slug (slugs are plain ASCII)."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + current_app.url_map.bind("localhost").build("public.employer", {"slug": "x"})[:-1]


def geojson_gzipped(snapshot: Snapshot) -> bytes:
    """The snapshot's stored Features (entry_store) joined, compressed as they are joined."""
    packer = zlib.compressobj(FILE_LEVEL, zlib.DEFLATED, 31)  # 31: gzip framing
    out = [packer.compress(b'{"type":"FeatureCollection","features":[')]
    for number, record in enumerate(snapshot.columns.records):
        out.append(packer.compress(b"," + feature_of(record) if number else feature_of(record)))
    out.append(packer.compress(b"]}"))
    out.append(packer.flush())
    return b"".join(out)


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


def csv_gzipped(snapshot: Snapshot) -> bytes:
    """UTF-8 with a BOM (so spreadsheets keep the umlauts), comma-separated, formulas defused;
    written into the compressor a thousand rows at a time, so the plain file is never whole."""
    prefix = page_url_prefix()
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=FILE_LEVEL, mtime=0) as packed:
        packed.write(csv_text([CSV_COLUMNS], ",").encode())
        entries = snapshot.entries
        for start in range(0, len(entries), 1000):
            rows = (csv_row(e, prefix) for e in entries[start:start + 1000])
            packed.write(csv_text(rows, ",")[len(BOM):].encode())
    return out.getvalue()


def geojson_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "geojson", lambda s: gzipped_payload(
        geojson_gzipped(s), GEOJSON, "geojson", s.changed_at))


def csv_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "csv",
                       lambda s: gzipped_payload(csv_gzipped(s), CSV, "csv", s.changed_at))
