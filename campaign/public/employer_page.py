"""What the employer page shows besides the entry itself: links, sharing tags, JSON-LD."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from campaign.core import links
from campaign.core.city import current_city
from campaign.core.links import employer_url
from campaign.entries import dropin
from campaign.entries.vocabulary import OFFER_LABELS
from campaign.i18n.formatting import list_separator
from campaign.models import Employer, LocationSource
from campaign.public import search


def safe_web_url(url: str) -> str | None:
    """Only absolute http(s) links become an href (the form checks this too)."""
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def back_query() -> str:
    """The list filters this visitor came from, re-encoded so only known filters survive."""
    source = request.args.get("von", "")
    if not source:
        return ""
    filters = search.parse(MultiDict(parse_qsl(source[:2000])), current_city())
    return urlencode(filters.to_args())


def summary(employer: Employer, status: str) -> str:
    offers = list_separator().join(str(OFFER_LABELS[o]) for o in employer.offers if o in OFFER_LABELS)
    parts = [status, _("Frag ohne Termin nach: %(offers)s.", offers=offers) if offers else "",
             f"{employer.street}, {employer.postal_code} {employer.city}"]
    return " ".join(p for p in parts if p)


def structured_data(employer: Employer) -> dict:
    """schema.org data for search engines and messengers (a data block, never executed)."""
    data = {
        "@context": "https://schema.org", "@type": "LocalBusiness", "name": employer.name,
        "url": employer_url(employer),
        "address": {"@type": "PostalAddress", "streetAddress": employer.street,
                    "postalCode": employer.postal_code, "addressLocality": employer.city,
                    "addressCountry": "DE"},
    }
    if employer.description:
        data["description"] = employer.description
    if employer.is_on_map and not employer.location_is_approximate:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": employer.lat,
                       "longitude": employer.lon}
    for key, value in (("telephone", employer.public_phone), ("email", employer.public_email),
                       ("sameAs", safe_web_url(employer.website))):
        if value:
            data[key] = value
    return data


def from_snapshot(published: dict) -> SimpleNamespace:
    """A published entry of the snapshot, shaped like the model for the page (outage mode)."""
    located = published["lat"] is not None and published["lon"] is not None
    approximate = located and published.get("location_source") == LocationSource.APPROXIMATE
    return SimpleNamespace(**published, is_on_map=located, location_is_approximate=approximate)


def employer_page_context(employer: Employer) -> dict:
    now = dropin.local_now()
    status = dropin.status_text(employer.drop_in or {}, now)
    located = employer.is_on_map
    approximate = employer.location_is_approximate
    address = f"{employer.street}, {employer.postal_code} {employer.city}"
    return {
        "employer": employer, "status": status, "today": now.weekday(),
        "canonical": employer_url(employer), "summary": summary(employer, status),
        "structured_data": structured_data(employer),
        "website": safe_web_url(employer.website),
        "approximate": approximate,
        "route_url": (links.osm_search_url(address) if approximate
                      else links.osm_route_url(employer.lat, employer.lon) if located else None),
        "osm_url": links.osm_place_url(employer.lat, employer.lon) if located else None,
        "back_query": back_query(),
    }
