"""The Atom feed of a filtered map, and subscribing to and leaving e-mail alerts."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, request
from flask_babel import gettext as _

from campaign.alerts import feed, matching
from campaign.core import links
from campaign.core.city import current_city
from campaign.public import search
from campaign.public.views import page_snapshot

bp = Blueprint("alerts", __name__)


def _with_query(url: str, filters: search.Filters) -> str:
    query = urlencode(filters.to_args())
    return url + (f"?{query}" if query else "")


@bp.get("/karte.atom")
def atom_feed():
    filters = search.parse(request.args, current_city())
    snapshot = page_snapshot()
    items = matching.feed_entries(snapshot, filters)
    city = current_city()
    body = feed.build(
        title=_("Neue offene Türen in %(city)s", city=city.city_name) + matching.describe(filters),
        self_url=_with_query(links.external("alerts.atom_feed"), filters),
        alternate_url=_with_query(links.external("public.map_page"), filters),
        author=city.operator["name"], fallback_updated=snapshot.changed_at or matching.now(),
        items=items, page_url=lambda slug: links.external("public.employer", slug=slug))
    response = current_app.response_class(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
