"""A small client for Nominatim- and Photon-compatible search APIs, called server-side.

Every failure (timeout, refused connection, HTTP error, HTML or broken JSON, a point outside
the city) is an answer of None: the caller falls back to an approximate point. After a failure
the geocoder is left alone for a short while, so a geocoder that is down costs one timeout,
not one per form.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.client import HTTPException

from campaign.core.city import City

log = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 512 * 1024
PAUSE_AFTER_FAILURE = 60.0  # seconds in which sign-ups skip a geocoder that just failed
NOMINATIM, PHOTON = "nominatim", "photon"


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str

    @classmethod
    def of(cls, values: dict) -> Address:
        return cls(values.get("street") or "", values.get("postal_code") or "",
                   values.get("city") or "")

    def query(self) -> str:
        return ", ".join(part for part in (self.street, f"{self.postal_code} {self.city}".strip())
                         if part)


@dataclass
class Health:
    """Shared by the threads of one process: when the geocoder last failed."""

    failed_at: float = -math.inf
    lock: threading.Lock = field(default_factory=threading.Lock)

    def resting(self) -> bool:
        return time.monotonic() - self.failed_at < PAUSE_AFTER_FAILURE

    def failed(self) -> None:
        with self.lock:
            self.failed_at = time.monotonic()

    def recovered(self) -> None:
        with self.lock:
            self.failed_at = -math.inf


class Geocoder:
    def __init__(self, url: str, city: City, *, kind: str = "auto", timeout: float = 3.0,
                 user_agent: str = "", health: Health | None = None):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("CAMPAIGN_GEOCODER_URL must start with http:// or https://")
        self.url, self.city, self.timeout = url, city, float(timeout)
        self.kind = kind if kind in (NOMINATIM, PHOTON) else guess_kind(url)
        self.user_agent = user_agent or "AlleTuerenOffen/1.0"
        self.health = health or Health()

    def search(self, address: Address) -> tuple[float, float] | None:
        """The address's point inside the city, or None when the geocoder cannot say."""
        if not address.street or self.health.resting():
            return None
        try:
            answer = self._fetch(address)
        except (OSError, ValueError, HTTPException) as exc:  # URLError and timeouts: OSError
            log.warning("Geocoder failed (%s); using the approximate point", type(exc).__name__)
            self.health.failed()
            return None
        self.health.recovered()
        point = first_point(answer)
        if point is None or not self.city.contains(*point):
            log.info("Geocoder found no point inside %s for an address", self.city.city_name)
            return None
        return round(point[0], 6), round(point[1], 6)

    def _fetch(self, address: Address):
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode(
                self._parameters(address)),
            headers={"User-Agent": self.user_agent, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            body = response.read(MAX_ANSWER_BYTES + 1)
        if len(body) > MAX_ANSWER_BYTES:
            raise ValueError("answer too large")
        return json.loads(body.decode("utf-8"))

    def _parameters(self, address: Address) -> dict:
        (south, west), (north, east) = self.city.map["bounds"]
        if self.kind == PHOTON:
            lat, lon = self.city.map["center"]
            return {"q": address.query(), "limit": 1, "lang": "de", "lat": lat, "lon": lon,
                    "bbox": f"{west},{south},{east},{north}"}
        return {"q": address.query(), "format": "jsonv2", "limit": 1, "countrycodes": "de",
                "viewbox": f"{west},{north},{east},{south}", "bounded": 1}


def guess_kind(url: str) -> str:
    """Photon serves /api; everything else is taken to speak Nominatim's /search."""
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    return PHOTON if path.endswith("/api") else NOMINATIM


def first_point(answer) -> tuple[float, float] | None:
    """(lat, lon) of the first hit, read from either answer shape; None for anything else."""
    try:
        if isinstance(answer, list) and answer:  # Nominatim: [{"lat": "51.4", "lon": "7.2"}]
            lat, lon = float(answer[0]["lat"]), float(answer[0]["lon"])
        elif isinstance(answer, dict) and answer.get("features"):  # Photon: GeoJSON
            lon, lat = (float(v) for v in answer["features"][0]["geometry"]["coordinates"][:2])
        else:
            return None
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    return lat, lon
