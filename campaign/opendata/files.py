"""Open data files built from a snapshot: GeoJSON (RFC 7946) and CSV, kept gzipped only.

Both are assembled from one compressed part per chunk of entries (public.chunks, with
opendata.chunked_gzip): the GeoJSON part is the chunk's stored features joined, the CSV part
its rows. After a change only the changed chunks' parts are built again. A client that does
not take gzip gets the bytes decompressed as they are sent.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from flask import current_app

from campaign.core import links
from campaign.core.spreadsheet import BOM, csv_text, defuse
from campaign.opendata import chunked_gzip
from campaign.opendata.chunked_gzip import fixed_part
from campaign.public.chunks import built_part, built_parts
from campaign.public.entry_store import PUBLIC_COLUMNS, Snapshot, decode, feature_of
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
    # The gzip file in the pieces it was assembled from (chunked_gzip), sent one after the
    # other: joined, an open-data file would be held twice, as a whole and in its parts.
    pieces: tuple[bytes, ...]
    etag: str
    mimetype: str
    changed_at: datetime | None  # of the snapshot it was made from (Last-Modified)

    @property
    def gzipped(self) -> bytes:
        """The gzip file as one bytes object (joined on every call)."""
        return b"".join(self.pieces)

    def plain(self) -> Iterator[bytes]:
        """The bytes uncompressed, a piece at a time."""
        inflater = zlib.decompressobj(wbits=31)
        for piece in map(memoryview, self.pieces):
            for start in range(0, len(piece), CHUNK):
                yield inflater.decompress(piece[start:start + CHUNK])
        yield inflater.flush()


def gzipped_payload(gzipped: bytes, mimetype: str, label: str,
                    changed_at: datetime | None) -> Payload:
    """The ETag is the compressed bytes' digest: gzip with mtime 0 makes the same bytes, so
    every worker gives the same ETag."""
    return Payload(pieces=(gzipped,),
                   etag=f"{label}-{hashlib.sha256(gzipped).hexdigest()[:20]}",
                   mimetype=mimetype, changed_at=changed_at)


def assembled_payload(parts: Sequence[chunked_gzip.Part], mimetype: str, label: str,
                      changed_at: datetime | None) -> Payload:
    """The parts as one gzip file; the ETag comes from the parts' digests, which decide the
    file's bytes, so it is the same in every worker without hashing the whole file again."""
    return Payload(pieces=tuple(chunked_gzip.member_pieces(parts)),
                   etag=f"{label}-{chunked_gzip.digest(parts)[:20]}", mimetype=mimetype,
                   changed_at=changed_at)


def make_payload(body: bytes, mimetype: str, label: str,
                 changed_at: datetime | None = None) -> Payload:
    return gzipped_payload(gzip.compress(body, compresslevel=COMPRESS_LEVEL, mtime=0),
                           mimetype, label, changed_at)


def page_url_prefix() -> str:
    """Absolute URL of an employer page minus the slug (slugs are plain ASCII)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + links.employer_path_prefix()


def _features_part(records: tuple[bytes, ...], lead: bytes = b",") -> chunked_gzip.Part:
    return chunked_gzip.part(lead + b",".join(map(feature_of, records)), FILE_LEVEL)


def geojson_parts(snapshot: Snapshot) -> list[chunked_gzip.Part]:
    """The snapshot's stored Features (entry_store) joined, a chunk per part; each part but
    the first starts with the comma after the chunk before."""
    first, *others = snapshot.chunks or [None]
    features = [] if first is None else [
        built_part(snapshot, "geojson-first", first, partial(_features_part, lead=b"")),
        *(built_part(snapshot, "geojson", chunk, _features_part) for chunk in others)]
    return [fixed_part(b'{"type":"FeatureCollection","features":[', FILE_LEVEL), *features,
            fixed_part(b"]}", FILE_LEVEL)]


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


def csv_parts(snapshot: Snapshot) -> list[chunked_gzip.Part]:
    """UTF-8 with a BOM (so spreadsheets keep the umlauts), comma-separated, formulas defused;
    the header line, then a chunk's rows per part (so the plain file is never whole)."""
    prefix = page_url_prefix()

    def rows_part(records: tuple[bytes, ...]) -> chunked_gzip.Part:
        text = csv_text((csv_row(decode(r), prefix) for r in records), ",")[len(BOM):]
        return chunked_gzip.part(text.encode(), FILE_LEVEL)

    header = fixed_part(csv_text([CSV_COLUMNS], ",").encode(), FILE_LEVEL)
    return [header, *built_parts(snapshot, ("csv", prefix), rows_part)]


def geojson_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "geojson", lambda s: assembled_payload(
        geojson_parts(s), GEOJSON, "geojson", s.changed_at))


def csv_payload(snapshot: Snapshot) -> Payload:
    return cached_file(snapshot, "csv", lambda s: assembled_payload(
        csv_parts(s), CSV, "csv", s.changed_at))
