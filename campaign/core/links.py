"""Absolute links for mails, QR codes and PDFs, always built from CAMPAIGN_PUBLIC_URL."""

from __future__ import annotations

from urllib.parse import quote

from flask import current_app

from campaign.core import tokens
from campaign.models import Employer

OSM = "https://www.openstreetmap.org"


def external(endpoint: str, **values) -> str:
    """Works in requests and in CLI commands alike, whatever Host header a request carried."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def employer_path_prefix() -> str:
    """The path of an employer page minus the slug ("/betrieb/"): slugs are plain ASCII, so
    a hot path or a file of every entry adds them without building a URL each time."""
    return current_app.url_map.bind("localhost").build("public.employer", {"slug": "x"})[:-1]


def confirm_url(employer: Employer) -> str:
    token = tokens.make(tokens.CONFIRM, {"e": employer.id})
    return external("registration.confirm", token=token)


def manage_url(employer: Employer, long_lived: bool = False) -> str:
    config = current_app.config
    ttl = config["MANAGE_LINK_MAX_AGE_LONG" if long_lived else "MANAGE_LINK_MAX_AGE"]
    token = tokens.make(tokens.MANAGE, {"e": employer.id, "n": employer.private.login_nonce, "t": ttl})
    return external("selfservice.manage", token=token)


def employer_url(employer: Employer) -> str:
    return external("public.employer", slug=employer.slug)


def qr_url(employer: Employer) -> str:
    return external("public.qr", code=employer.qr_code)


def osm_place_url(lat: float | None, lon: float | None) -> str | None:
    """The place on openstreetmap.org (static/js/map.js builds the same link)."""
    if lat is None or lon is None:
        return None
    return f"{OSM}/?mlat={lat:.5f}&mlon={lon:.5f}#map=18/{lat:.5f}/{lon:.5f}"


def osm_route_url(lat: float, lon: float) -> str:
    return f"{OSM}/directions?route=%3B{lat:.6f}%2C{lon:.6f}"


def osm_search_url(address: str) -> str:
    """Search an address on openstreetmap.org: for entries whose point is only approximate."""
    return f"{OSM}/search?query={quote(address)}"
