"""Filtering the published entries: query parameters in, matching entries out. No I/O.

static/js/map.js implements the same rules on the map payload (public/map_data.py), so map and
list always agree: within one filter group any chosen value matches (OR), across groups all must
match (AND). The text search folds query and entries the same way (core.text.fold) and looks in
name, sector, occupations and description.
"""

from __future__ import annotations

import heapq
import math
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import NamedTuple

from campaign.core.city import City, distance_km
from campaign.core.text import fold
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.public import filter_index as index
from campaign.public.entry_store import LANGUAGE_BITS, OFFER_BITS, STEP_FREE_BIT, decode

PAGE_SIZE = 20
MAX_QUERY = 100
MAX_ORDERS = 64  # result orders kept per snapshot: at most 200 KB each at 50,000 entries


class Result(NamedTuple):
    entry: dict
    distance: float | None


@dataclass(frozen=True)
class Filters:
    q: str = ""
    offers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sector: str = ""
    district: str = ""
    quarter: str = ""
    step_free: bool = False
    open_now: bool = False
    lat: float | None = None
    lon: float | None = None

    @property
    def near(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def active_count(self) -> int:
        return (len(self.offers) + len(self.languages) + bool(self.q) + bool(self.sector)
                + bool(self.district) + bool(self.quarter) + self.step_free + self.open_now)

    def to_args(self) -> list[tuple[str, str]]:
        """The query parameters that reproduce these filters (a shareable link)."""
        args: list[tuple[str, str]] = []
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                args += [(item.name, v) for v in value]
            elif value is True:
                args.append((item.name, "1"))
            elif value not in ("", None, False):
                args.append((item.name, f"{value:.4f}" if isinstance(value, float) else value))
        return args

    def without(self, name: str, value: str | None = None) -> Filters:
        current = getattr(self, name)
        if isinstance(current, tuple):
            return replace(self, **{name: tuple(v for v in current if v != value)})
        return replace(self, **{name: type(self).__dataclass_fields__[name].default})


def _text(value: str | None, limit: int = MAX_QUERY) -> str:
    return unicodedata.normalize("NFC", (value or "").strip())[:limit]


def _choices(values: list[str], allowed) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v in allowed))


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    return round(number, 4) if math.isfinite(number) and abs(number) <= limit else None


def parse(args, city: City) -> Filters:
    """Read filters from query parameters; unknown values are ignored, never an error."""
    sectors, districts = set(city.sectors), set(city.quarters_by_district)
    lat, lon = _coordinate(args.get("lat"), 90), _coordinate(args.get("lon"), 180)
    return Filters(
        q=_text(args.get("q")),
        offers=_choices(args.getlist("offers"), OFFER_LABELS),
        languages=_choices(args.getlist("languages"), LANGUAGES),
        sector=args.get("sector", "") if args.get("sector") in sectors else "",
        district=args.get("district", "") if args.get("district") in districts else "",
        quarter=args.get("quarter", "") if args.get("quarter") in city.district_of else "",
        step_free=args.get("step_free") == "1",
        open_now=args.get("open_now") == "1",
        lat=lat if lon is not None else None,
        lon=lon if lat is not None else None,
    )


def matching_bits(snapshot, filters: Filters, now: datetime) -> int:
    """The entries matching `filters` as a bit set (public.filter_index)."""
    bits = index.all_bits(snapshot)
    if filters.offers:
        bits &= index.flag_bits(snapshot, sum(OFFER_BITS[o] for o in filters.offers))
    if filters.languages:
        bits &= index.flag_bits(snapshot, sum(LANGUAGE_BITS[code] for code in filters.languages))
    if filters.step_free:
        bits &= index.flag_bits(snapshot, STEP_FREE_BIT)
    for part, name in enumerate(("sector", "district", "quarter")):
        if getattr(filters, name):
            bits &= index.place_bits(snapshot, part, getattr(filters, name))
    for word in fold(filters.q).split():
        bits &= index.word_bits(snapshot, word)
    if filters.open_now:
        bits &= index.open_bits(snapshot, now)
    return bits


class Results(Sequence):
    """Matching entries in list order; an entry is decoded only when it is read."""

    def __init__(self, snapshot, order: Sequence[int], distances: dict[int, float]):
        self.snapshot, self.order, self.distances = snapshot, order, distances

    def __len__(self) -> int:
        return len(self.order)

    def _result(self, position: int) -> Result:
        return Result(decode(self.snapshot.columns.records[position]),
                      self.distances.get(position))

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self._result(p) for p in self.order[item]]
        return self._result(self.order[item])


def _distances(snapshot, filters: Filters, order: list[int]) -> dict[int, float]:
    lats, lons = snapshot.columns.lats, snapshot.columns.lons
    return {p: distance_km(filters.lat, filters.lon, lats[p], lons[p]) for p in order
            if not math.isnan(lats[p])}


def _order(snapshot, filters: Filters, now: datetime) -> tuple[Sequence[int], dict]:
    bits = matching_bits(snapshot, filters, now)
    if bits == index.all_bits(snapshot) and not filters.near:
        return range(len(snapshot)), {}
    order = index.positions(bits)
    if not filters.near:
        return order, {}
    distances = _distances(snapshot, filters, order)
    return array("I", sorted(order, key=lambda p: distances.get(p, math.inf))), distances


def run(snapshot, filters: Filters, now: datetime) -> Results:
    """Matching entries in name order, or nearest first when a location is given. The order
    is kept per snapshot, filters and minute, so the next page or visitor finds it ready."""
    key = ("results", filters, now.replace(second=0, microsecond=0) if filters.open_now else None)
    order, distances = index.cached(snapshot, key, lambda: _order(snapshot, filters, now),
                                    store="orders", limit=MAX_ORDERS)
    return Results(snapshot, order, distances)


@dataclass(frozen=True)
class Page:
    items: list[Result]
    number: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(results: Sequence[Result], page: int, size: int = PAGE_SIZE) -> Page:
    pages = max(1, math.ceil(len(results) / size))
    number = min(max(1, page), pages)
    start = (number - 1) * size
    return Page(results[start:start + size], number, pages, len(results))


def nearest(snapshot, lat: float, lon: float, limit: int = 5) -> list[Result]:
    lats, lons, records = snapshot.columns.lats, snapshot.columns.lons, snapshot.columns.records
    closest = heapq.nsmallest(limit, ((distance_km(lat, lon, lats[p], lons[p]), p)
                                      for p in range(len(records)) if not math.isnan(lats[p])))
    return [Result(decode(records[p]), distance) for distance, p in closest]
