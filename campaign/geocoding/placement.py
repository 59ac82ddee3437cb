"""Decide an entry's point and how exact it is: the person's pin, the geocoder, or a centre."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from campaign.core.city import City, current_city
from campaign.geocoding.client import Address, Geocoder, Health
from campaign.models import LocationSource

ADDRESS_FIELDS = ("street", "postal_code", "city", "quarter")


@dataclass(frozen=True)
class Location:
    lat: float | None
    lon: float | None
    source: LocationSource

    def as_values(self) -> dict:
        return {"lat": self.lat, "lon": self.lon, "location_source": self.source}


def configured_geocoder() -> Geocoder | None:
    """The app's geocoder, or None when CAMPAIGN_GEOCODER_URL is unset."""
    config = current_app.config
    if not config.get("GEOCODER_URL"):
        return None
    health = current_app.extensions.setdefault("campaign_geocoder_health", Health())
    agent = config.get("GEOCODER_USER_AGENT") or (
        f"AlleTuerenOffen/1.0 (+{config['PUBLIC_URL']})")
    return Geocoder(config["GEOCODER_URL"], current_city(), kind=config["GEOCODER_KIND"],
                    timeout=config["GEOCODER_TIMEOUT"], user_agent=agent, health=health)


def approximate(values: dict, city: City) -> Location:
    """The centre of the quarter, else of the postal-code area, else no point at all."""
    centre = (city.data.get("quarter_centres", {}).get(values.get("quarter") or "")
              or city.data.get("postal_code_centres", {}).get(values.get("postal_code") or ""))
    if not centre:
        return Location(None, None, LocationSource.NONE)
    return Location(centre[0], centre[1], LocationSource.APPROXIMATE)


def locate(values: dict, city: City, geocoder: Geocoder | None) -> Location:
    """Look the address up; fall back to the approximate centre when that fails."""
    point = geocoder.search(Address.of(values)) if geocoder is not None else None
    if point is not None:
        return Location(point[0], point[1], LocationSource.GEOCODED)
    return approximate(values, city)


def _address_changed(values: dict, current) -> bool:
    return any((values.get(key) or "") != (getattr(current, key) or "") for key in ADDRESS_FIELDS)


def _our_point_unmoved(values: dict, current) -> bool:
    """The form showed the point we found, and the person left it where it was."""
    return (current is not None
            and current.location_kind in (LocationSource.GEOCODED, LocationSource.APPROXIMATE)
            and (values.get("lat"), values.get("lon")) == (current.lat, current.lon))


def place(values: dict, current=None) -> None:
    """Set lat, lon and location_source in validated public values of a new or edited entry.

    A pin the person set is exact. Without one, a new or changed address is looked up; an
    unchanged address keeps the point it had.
    """
    if _our_point_unmoved(values, current):
        if not _address_changed(values, current):
            values["location_source"] = current.location_source
            return
        values["lat"] = values["lon"] = None
    if values.get("lat") is not None and values.get("lon") is not None:
        values["location_source"] = LocationSource.EXACT
        return
    values.update(locate(values, current_city(), configured_geocoder()).as_values())
