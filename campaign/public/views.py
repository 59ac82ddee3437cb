"""Public pages: start page, map and list, employer page, QR redirect, legal pages, health."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from campaign.consultations import operations as consultations
from campaign.core import health, links
from campaign.core.city import current_city
from campaign.core.params import page_param
from campaign.core.templating import sector_label
from campaign.entries import dropin, retention
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.extensions import db
from campaign.i18n import formatting
from campaign.models import Employer, Status
from campaign.opendata.views import send_payload
from campaign.public import filter_index, scans, search
from campaign.public.employer_page import employer_page_context, from_snapshot
from campaign.public.map_data import map_file
from campaign.public.served_snapshot import page_snapshot
from campaign.public.snapshot import public_snapshot
from campaign.stickers.preview import sticker_preview

bp = Blueprint("public", __name__)
MAX_PAGES = 32  # rendered /karte pages kept per data version: about 40 KB each


@bp.app_context_processor
def outage_note() -> dict:
    return {"public_data_as_of": g.get("public_data_as_of")}


@bp.get("/")
def index():
    return render_template("public/index.html", published=len(page_snapshot()))


@bp.get("/aufkleber.png")
def sticker_image():
    """The real A6 sticker as a picture (start page)."""
    preview = sticker_preview()
    response = Response(preview.png, mimetype="image/png")
    response.set_etag(preview.etag)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)


@bp.get("/datenschutz")
def privacy():
    periods = [rule.sentence(current_app.config) for rule in retention.RULES]
    return render_template("public/privacy.html", retention_periods=periods)


@bp.get("/impressum")
def imprint():
    return render_template("public/imprint.html")


@bp.get("/barrierefreiheit")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/healthz")
def healthz():
    result = health.check()
    return result, 200 if result["status"] == "ok" else 503


def map_url(filters: search.Filters, **extra) -> str:
    query = urlencode([*filters.to_args(), *extra.items()])
    return url_for("public.map_page") + (f"?{query}" if query else "")


def filter_labels(filters: search.Filters) -> list[tuple[str, search.Filters]]:
    """(label, the filters without it) for every active filter; also names alerts and feeds."""
    chosen = [(f"„{filters.q}“", filters.without("q"))] if filters.q else []
    chosen += [(str(OFFER_LABELS[v]), filters.without("offers", v)) for v in filters.offers]
    chosen += [(LANGUAGES[v], filters.without("languages", v)) for v in filters.languages]
    if filters.sector:
        chosen.append((sector_label(filters.sector), filters.without("sector")))
    chosen += [(getattr(filters, n), filters.without(n)) for n in ("district", "quarter")
               if getattr(filters, n)]
    if filters.step_free:
        chosen.append((_("Stufenloser Zugang"), filters.without("step_free")))
    if filters.open_now:
        chosen.append((_("Jetzt offen"), filters.without("open_now")))
    if filters.near:
        chosen.append((_("In deiner Nähe"), filters.without("lat").without("lon")))
    return chosen


def chosen_filters(filters: search.Filters) -> list[tuple[str, str]]:
    """(label, link that removes just this filter) for every active filter."""
    return [(label, map_url(rest)) for label, rest in filter_labels(filters)]


@bp.get("/karte")
def map_page():
    """Rendered once per data version, minute, language and query (MAX_PAGES kept): most
    visitors ask for the same few lists, and a page of the same inputs is the same page."""
    snapshot = page_snapshot()
    now = dropin.local_now().replace(second=0, microsecond=0)
    consultation_points = consultation_list(now)
    if session.get("_flashes"):  # a message for this visitor alone: never kept for others
        return render_map_page(snapshot, now, consultation_points)
    key = (request.query_string, str(get_locale()), now, g.get("public_data_as_of"),
           consultation_points)
    return filter_index.cached(snapshot, key,
                               lambda: render_map_page(snapshot, now, consultation_points),
                               store="pages", limit=MAX_PAGES)


def render_map_page(snapshot, now, consultation_points) -> str:
    filters = search.parse(request.args, current_city())
    results = search.run(snapshot, filters, now)
    page = search.paginate(results, page_param(request.args))
    return render_template(
        "public/map.html", filters=filters, page=page, chosen=chosen_filters(filters),
        map_url=map_url, back_query=urlencode(filters.to_args()),
        page_url=lambda number: map_url(filters, page=number),
        published=len(snapshot), format_km=formatting.format_km,
        consultations=consultation_points)


def consultation_list(now) -> tuple:
    """The consultation points beside the map; left out while the database is unreachable."""
    if "public_data_as_of" in g:
        return ()
    return consultations.next_dates(now)


@bp.get("/karte/daten.json")
def map_data():
    """The compact payload map.js loads (the open-data GeoJSON stays the complete file)."""
    snapshot = page_snapshot()
    return send_payload(map_file(snapshot), "karte.json")


@bp.get("/betrieb/<slug>")
def employer(slug: str):
    snapshot = page_snapshot()
    if "public_data_as_of" in g:  # the database is unreachable: the page as of the snapshot
        published = snapshot.entry(slug)
        if published is None:
            abort(404)
        entry = from_snapshot(published)
    else:
        entry = db.session.scalar(db.select(Employer).where(Employer.slug == slug))
        if entry is None or not entry.is_public:
            abort(404)
    return render_template("public/employer.html", **employer_page_context(entry))


@bp.get("/t/<code>")
def qr(code: str):
    """Count the scan and redirect; published codes come from the per-version snapshot."""
    normalised = scans.normalise_code(code)
    known = public_snapshot()[0].target(normalised) if normalised else None
    if known is None:
        target = scans.find_code(normalised) if normalised else None
        if target is None:
            abort(404)
        if target.status != Status.PUBLISHED:
            return gone(target), 410
        known = (target.id, target.slug)
    scans.record_scan(known[0])
    # No body and no URL building: a printed sticker's scan is the hottest request there is.
    return Response(status=302, headers={"Location": employer_path(known[1]),
                                         "Cache-Control": "no-store"})


def employer_path(slug: str) -> str:
    """url_for("public.employer", slug=slug), with the prefix worked out once per app."""
    prefix = current_app.extensions.get("campaign_employer_path")
    if prefix is None:
        prefix = current_app.extensions["campaign_employer_path"] = links.employer_path_prefix()
    return request.script_root + prefix + slug


def gone(target: scans.CodeTarget) -> str:
    """A friendly page for a paused or withdrawn entry, with open doors nearby."""
    lat, lon = target.lat, target.lon
    if lat is None or lon is None:
        lat, lon = current_city().quarter_centres.get(target.quarter, current_city().map["center"])
    nearby = search.nearest(page_snapshot(), lat, lon)
    return render_template("public/gone.html", nearby=nearby, format_km=formatting.format_km)
