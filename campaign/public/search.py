"""Filtering the published entries: query parameters in, matching entries out. No I/O.

static/js/map.js implements the same rules on the map payload (public/map_data.py), so map and
list always agree: within one filter group any chosen value matches (OR), across groups all must
match (AND). The text search folds query and entries the same way (core.text.fold) and looks in
name, sector, occupations and description.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import NamedTuple

from campaign.core.city import City, distance_km
from campaign.core.text import fold
from campaign.entries.dropin import is_open_at
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS

PAGE_SIZE = 20
MAX_QUERY = 100


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


def matches(filters: Filters, entry: dict, haystack: str, now: datetime) -> bool:
    if filters.offers and not set(filters.offers) & set(entry["offers"]):
        return False
    if filters.languages and not set(filters.languages) & set(entry["languages"]):
        return False
    for name in ("sector", "district", "quarter"):
        wanted = getattr(filters, name)
        if wanted and entry[name] != wanted:
            return False
    if filters.step_free and not entry["step_free"]:
        return False
    if filters.q and not all(word in haystack for word in fold(filters.q).split()):
        return False
    return not filters.open_now or is_open_at(entry["drop_in"], now)


def distance_to(filters: Filters, entry: dict) -> float | None:
    if not filters.near or entry["lat"] is None or entry["lon"] is None:
        return None
    return distance_km(filters.lat, filters.lon, entry["lat"], entry["lon"])


def run(snapshot, filters: Filters, now: datetime) -> list[Result]:
    """Matching entries in name order, or nearest first when a location is given."""
    found = [Result(entry, distance_to(filters, entry))
             for entry, haystack in zip(snapshot.entries, snapshot.haystacks, strict=True)
             if matches(filters, entry, haystack, now)]
    if filters.near:
        found.sort(key=lambda r: math.inf if r.distance is None else r.distance)
    return found


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


def paginate(results: list[Result], page: int, size: int = PAGE_SIZE) -> Page:
    pages = max(1, math.ceil(len(results) / size))
    number = min(max(1, page), pages)
    start = (number - 1) * size
    return Page(results[start:start + size], number, pages, len(results))


def nearest(snapshot, lat: float, lon: float, limit: int = 5) -> list[Result]:
    located = [Result(e, distance_km(lat, lon, e["lat"], e["lon"])) for e in snapshot.entries
               if e["lat"] is not None and e["lon"] is not None]
    return sorted(located, key=lambda r: r.distance)[:limit]

