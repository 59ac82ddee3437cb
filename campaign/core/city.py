"""City identity and geography as data: Bochum by default, any city by configuration."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class City:
    data: dict

    @classmethod
    def load(cls, path: str | None = None) -> City:
        if path:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = resources.files("campaign.data").joinpath("bochum.json").read_text("utf-8")
        return cls(json.loads(text))

    def __getattr__(self, key: str):
        try:
            return self.data[key]
        except KeyError:
            raise AttributeError(key) from None

    @cached_property
    def quarters_by_district(self) -> dict[str, list[str]]:
        return {d["name"]: list(d["quarters"]) for d in self.data["districts"]}

    @cached_property
    def district_of(self) -> dict[str, str]:
        return {q: d for d, qs in self.quarters_by_district.items() for q in qs}

    def is_focus(self, quarter: str) -> bool:
        return quarter in self.data["focus_quarters"]

    def contains(self, lat: float, lon: float) -> bool:
        (south, west), (north, east) = self.data["map"]["bounds"]
        return south <= lat <= north and west <= lon <= east

    def accepts_postal_code(self, code: str) -> bool:
        low, high = self.data["postal_code_range"]
        return len(code) == 5 and code.isascii() and code.isdigit() and low <= code <= high


def current_city() -> City:
    return current_app.extensions["campaign_city"]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
