"""/einbetten/karte: the filtered map and list for an iframe; sets no cookie (no session)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, url_for

from campaign.core import security
from campaign.core.city import current_city
from campaign.core.params import page_param
from campaign.entries import dropin
from campaign.i18n.formatting import format_km
from campaign.public import search
from campaign.public.served_snapshot import page_snapshot
from campaign.public.views import map_url

bp = Blueprint("embed", __name__, url_prefix="/einbetten")


def embed_url(filters: search.Filters, **extra) -> str:
    query = urlencode([*filters.to_args(), *extra.items()])
    return url_for("embed.map_page") + (f"?{query}" if query else "")


def map_points(results: list[search.Result]) -> list[dict]:
    """Only what a marker shows; the page link is built by the script from the slug."""
    return [{"slug": r.entry["slug"], "name": r.entry["name"], "lat": r.entry["lat"],
             "lon": r.entry["lon"]} for r in results
            if r.entry["lat"] is not None and r.entry["lon"] is not None]


@bp.get("/karte")
def map_page():
    filters = search.parse(request.args, current_city())
    results = search.run(page_snapshot(), filters, dropin.local_now())
    page = search.paginate(results, page_param(request.args))
    response = current_app.make_response(render_template(
        "embed/map.html", filters=filters, page=page, points=map_points(results),
        full_map_url=map_url(filters), page_url=lambda number: embed_url(filters, page=number),
        format_km=format_km))
    origins = current_app.config["EMBED_ORIGINS"]
    response.headers["Content-Security-Policy"] = security.framing_allowed_for(
        current_app.config, origins)
    if not origins:  # only the staff preview frames it: old browsers learn that too
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
