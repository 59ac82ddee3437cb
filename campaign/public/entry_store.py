"""The published entries of one public data version, kept compact in memory.

Each entry is stored once, as the bytes of its open-data GeoJSON Feature (public fields only),
deflated against a shared sample record (field names and usual values then cost a few bytes:
about 220 bytes instead of 760), in name order; a page decodes only the entries it shows. Beside the bytes, aligned columns
hold what filtering needs without decoding: ids, slugs, folded search text, offer/language
bits, the place and the coordinates. At 50,000 entries this is a few tens of MB per worker
instead of hundreds, and one change is patched in (snapshot.py) instead of read anew. The
entries are also grouped in chunks (public.chunks), so that the files made from them are built
again only for the chunks a change touched.

A Snapshot is never changed after it is made: `patched()` returns a new one that shares the
unchanged entries' bytes, so a request still using the old one is never disturbed.
"""

from __future__ import annotations

import bisect
import json
import math
import threading
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime

from campaign.core.text import fold
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.models import TEXT_KINDS, entry_fields
from campaign.public import chunks
from campaign.public.search_texts import SearchTexts

PUBLIC_COLUMNS = tuple(f.name for f in entry_fields(open_data=True))
PROPERTIES = tuple(c for c in PUBLIC_COLUMNS if c not in ("slug", "lat", "lon"))
_TEXT_COLUMNS = tuple(f.name for f in entry_fields(open_data=True) if f.kind in TEXT_KINDS)

OFFER_BITS = {code: 1 << n for n, code in enumerate(OFFER_LABELS)}
LANGUAGE_BITS = {code: 1 << (len(OFFER_BITS) + n) for n, code in enumerate(LANGUAGES)}
STEP_FREE_BIT = 1 << (len(OFFER_BITS) + len(LANGUAGE_BITS))
NO_POINT = math.nan


def sort_key(name: str) -> str:
    """Name order that puts "Ärztehaus" next to "Arzt", the same in every worker."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_order(name: str, slug: str) -> str:
    """The key entries are sorted by: name as sort_key() has it, then the slug."""
    return f"{sort_key(name)}\x00{slug}"


def record_order(record: bytes) -> str:
    entry = decode(record)
    return name_order(entry["name"], entry["slug"])


def search_text(entry: dict) -> str:
    """Everything a search looks in, folded (core.text.fold): name, sector, occupations, text."""
    return fold(" ".join((entry["name"], entry["sector"], entry["occupations"],
                          entry["description"])))


def clean(entry: dict) -> dict:
    """Empty texts as "", lists and drop-in hours never None."""
    for key in _TEXT_COLUMNS:
        entry[key] = entry[key] or ""
    entry["offers"] = list(entry["offers"] or [])
    entry["languages"] = list(entry["languages"] or [])
    entry["drop_in"] = entry["drop_in"] or {}
    return entry


def feature(entry: dict) -> dict:
    """A GeoJSON Feature; 5 decimals (about 1 m) are plenty to find a door."""
    geometry = None
    if entry["lat"] is not None and entry["lon"] is not None:
        geometry = {"type": "Point",
                    "coordinates": [round(entry["lon"], 5), round(entry["lat"], 5)]}
    return {"type": "Feature", "id": entry["slug"], "geometry": geometry,
            "properties": {key: entry[key] for key in PROPERTIES}}


def feature_bytes(entry: dict) -> bytes:
    return json.dumps(feature(entry), ensure_ascii=False, separators=(",", ":")).encode()


_SAMPLE = {**dict.fromkeys(PUBLIC_COLUMNS, ""), "lat": 51.48, "lon": 7.21, "postal_code": "447",
           "offers": ["ausbildung", "praktikum"], "languages": ["de"], "step_free": False,
           "is_subsidiary": False, "location_source": "exact",
           "drop_in": {"opening_hours": False, "slots": [
               {"day": day, "start": "09:00", "end": "16:00"} for day in range(5)]}}
_ZDICT = feature_bytes(_SAMPLE)
_WBITS, _MEMLEVEL = -11, 2  # raw deflate, 2 KB window: enough for a record and the sample


def encode(entry: dict) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, _WBITS, _MEMLEVEL, zlib.Z_DEFAULT_STRATEGY,
                              _ZDICT)
    return packer.compress(feature_bytes(entry)) + packer.flush()


def feature_of(record: bytes) -> bytes:
    """The record's GeoJSON Feature as JSON bytes."""
    return zlib.decompressobj(_WBITS, _ZDICT).decompress(record)


def decode(record: bytes) -> dict:
    """The entry as a dict of PUBLIC_COLUMNS (coordinates as the file has them)."""
    item = json.loads(feature_of(record))
    entry = {"slug": item["id"], **item["properties"]}
    point = item["geometry"]
    entry["lon"], entry["lat"] = point["coordinates"] if point else (None, None)
    return entry


def flags_of(entry: dict) -> int:
    return (sum(OFFER_BITS.get(o, 0) for o in set(entry["offers"]))
            + sum(LANGUAGE_BITS.get(code, 0) for code in set(entry["languages"]))
            + (STEP_FREE_BIT if entry["step_free"] else 0))


class Entries(Sequence):
    """The entries as dicts, decoded when read (iterating all of them decodes all)."""

    def __init__(self, records: list[bytes]):
        self.records = records

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [decode(r) for r in self.records[index]]
        return decode(self.records[index])

    def __iter__(self) -> Iterator[dict]:
        return (decode(r) for r in self.records)


@dataclass
class Columns:
    """Aligned per-entry columns, in name order."""

    records: list[bytes] = field(default_factory=list)
    ids: array = field(default_factory=lambda: array("q"))
    codes: list[str] = field(default_factory=list)
    haystacks: SearchTexts = field(default_factory=SearchTexts)
    flags: array = field(default_factory=lambda: array("Q"))  # offer, language, access bits
    places: list[tuple[str, str, str]] = field(default_factory=list)  # sector, district, quarter
    hours: list[str] = field(default_factory=list)  # drop-in hours as JSON text (shared)
    lats: array = field(default_factory=lambda: array("d"))
    lons: array = field(default_factory=lambda: array("d"))

    def copy(self) -> Columns:
        return Columns(*(getattr(self, name)[:] for name in self.names()))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(cls.__dataclass_fields__)

    def insert(self, position: int, values: tuple) -> None:
        for name, value in zip(self.names(), values, strict=True):
            getattr(self, name).insert(position, value)

    def delete(self, position: int) -> None:
        for name in self.names():
            del getattr(self, name)[position]


class _Interned(dict):
    """Equal small values (places, drop-in hours) share one object across all entries."""

    def get_shared(self, value):
        return self.setdefault(value, value)


def row_values(entry_id: int, qr_code: str, entry: dict, shared: _Interned) -> tuple:
    """One entry's values for every column, in Columns order (its place in the order is not
    kept: a patch finds it by decoding the few records a binary search looks at)."""
    located = entry["lat"] is not None and entry["lon"] is not None
    place = shared.get_shared((entry["sector"], entry["district"], entry["quarter"]))
    hours = shared.get_shared(json.dumps(entry["drop_in"], sort_keys=True))
    return (encode(entry), entry_id, qr_code,
            search_text(entry), flags_of(entry), place, hours,
            entry["lat"] if located else NO_POINT, entry["lon"] if located else NO_POINT)


@dataclass
class Snapshot:
    version: int
    changed_at: datetime | None
    columns: Columns
    # QR code -> "<employer id> <slug>" (one string: a tuple and an int cost 5 MB more at
    # 50,000 entries); never output
    codes: dict[str, str]
    shared: _Interned = field(default_factory=_Interned)
    files: dict = field(default_factory=dict)  # name -> opendata.Payload, built on first use
    # The files of the version before, served until this version's are built (snapshot.py).
    previous_files: dict = field(default_factory=dict)
    building: dict = field(default_factory=dict)  # name -> the thread building that file
    index: dict = field(default_factory=dict)  # filter bit sets of this version (search.py)
    orders: dict = field(default_factory=dict)  # result orders of this version (search.py)
    pages: dict = field(default_factory=dict)  # rendered pages of this version (public.views)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cuts: bytearray = field(default_factory=bytearray)  # per entry: 1 if a chunk ends after it
    chunks: list | None = None  # the entries in chunks (public.chunks), made if not given
    # (file, chunk) -> the part of that file built for that chunk (chunks.built_parts)
    parts: dict = field(default_factory=dict)

    def __post_init__(self):
        self.entries = Entries(self.columns.records)
        if self.chunks is None:
            self.chunks = chunks.chunked(self.columns.records, self.cuts)

    def __len__(self) -> int:
        return len(self.columns.records)

    def follows(self, old: Snapshot) -> Snapshot:
        """Take over the files of `old` as the ones to serve while this version's are built,
        and the parts built for chunks that are still the same."""
        self.previous_files = {**old.previous_files, **old.files}
        same = set(self.chunks)
        self.parts = {key: part for key, part in old.parts.copy().items() if key[1] in same}
        return self

    def target(self, code: str) -> tuple[int, str] | None:
        """(employer id, slug) of a published QR code."""
        value = self.codes.get(code)
        if value is None:
            return None
        entry_id, _, slug = value.partition(" ")
        return int(entry_id), slug

    def entry(self, slug: str) -> dict | None:
        """The published entry with this slug. Only employer pages during a database outage
        ask, so a scan (a few ms at 50,000 entries) saves an index of every slug."""
        suffix = " " + slug
        for code, value in self.codes.items():
            if value.endswith(suffix) and value.partition(" ")[2] == slug:
                return decode(self.columns.records[self.columns.codes.index(code)])
        return None


def target_text(entry_id: int, slug: str) -> str:
    return f"{entry_id} {slug}"


def build(version: int, changed_at: datetime | None,
          rows: Iterable[tuple[int, str, dict]]) -> Snapshot:
    """A snapshot from (id, qr_code, public fields) of every published entry; the rows may
    be streamed, each is held only while it is packed."""
    shared, unsorted, keys, slugs = _Interned(), Columns(haystacks=SearchTexts(bytearray())), [], []
    for entry_id, code, entry in rows:
        entry = clean(entry)
        unsorted.insert(len(unsorted.records), row_values(entry_id, code, entry, shared))
        keys.append(name_order(entry["name"], entry["slug"]))
        slugs.append(entry["slug"])
    order = sorted(range(len(keys)), key=keys.__getitem__)
    cuts = bytearray(chunks.ends_chunk(keys[n]) for n in order)
    del keys
    columns = Columns()
    for name in Columns.names():
        column = getattr(unsorted, name)
        getattr(columns, name).extend(column[n] for n in order)
        setattr(unsorted, name, None)  # let each unsorted column go as soon as it is copied
    codes = {code: target_text(entry_id, slugs[n]) for code, entry_id, n in
             zip(columns.codes, columns.ids, order, strict=True)}
    return Snapshot(version, changed_at, columns, codes, shared, cuts=cuts)


def _positions_of(ids: array, wanted: set[int]) -> list[int]:
    if len(wanted) > 50:
        return [n for n, entry_id in enumerate(ids) if entry_id in wanted]
    found = []
    for entry_id in wanted:
        with suppress(ValueError):  # not published before: nothing to take out
            found.append(ids.index(entry_id))
    return found


def patched(old: Snapshot, version: int, changed_at: datetime | None, changed_ids: set[int],
            rows: Iterable[tuple[int, str, dict]]) -> Snapshot:
    """`old` with the changed entries taken out and their published rows put in place."""
    columns, codes = old.columns.copy(), old.codes.copy()
    cuts = old.cuts[:]
    for position in sorted(_positions_of(columns.ids, changed_ids), reverse=True):
        del codes[columns.codes[position]]
        columns.delete(position)
        del cuts[position]
    for entry_id, code, entry in rows:
        values = row_values(entry_id, code, clean(entry), old.shared)
        key = name_order(entry["name"], entry["slug"])
        place = bisect.bisect(columns.records, key, key=record_order)
        columns.insert(place, values)
        cuts.insert(place, chunks.ends_chunk(key))
        codes[code] = target_text(entry_id, entry["slug"])
    return Snapshot(version, changed_at, columns, codes, old.shared, cuts=cuts,
                    chunks=chunks.chunked(columns.records, cuts, old.chunks)).follows(old)
