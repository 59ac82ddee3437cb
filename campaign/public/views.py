"""Public pages: start page, map and list, employer page, QR redirect, legal pages, health."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import text

from campaign.core.city import current_city
from campaign.core.templating import sector_label
from campaign.entries import dropin
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.extensions import db
from campaign.i18n import formatting
from campaign.models import Employer, Status
from campaign.public import scans, search
from campaign.public.employer_page import employer_page_context
from campaign.public.snapshot import current_snapshot

bp = Blueprint("public", __name__)


@bp.get("/")
def index():
    return render_template("public/index.html", published=len(current_snapshot().entries))


@bp.get("/datenschutz")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/impressum")
def imprint():
    return render_template("public/imprint.html")


@bp.get("/barrierefreiheit")
def accessibility():
    return render_template("public/accessibility.html")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return {"status": "unhealthy", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}


def map_url(filters: search.Filters, **extra) -> str:
    query = urlencode([*filters.to_args(), *extra.items()])
    return url_for("public.map_page") + (f"?{query}" if query else "")


def chosen_filters(filters: search.Filters) -> list[tuple[str, str]]:
    """(label, link that removes just this filter) for every active filter."""
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
    return [(label, map_url(rest)) for label, rest in chosen]


@bp.get("/karte")
def map_page():
    snapshot = current_snapshot()
    filters = search.parse(request.args, current_city())
    results = search.run(snapshot, filters, dropin.local_now())
    page = search.paginate(results, request.args.get("page"))
    return render_template(
        "public/map.html", filters=filters, page=page, chosen=chosen_filters(filters),
        map_url=map_url, back_query=urlencode(filters.to_args()),
        page_url=lambda number: map_url(filters, page=number),
        published=len(snapshot.entries), format_km=formatting.format_km)


@bp.get("/betrieb/<slug>")
def employer(slug: str):
    entry = db.session.scalar(db.select(Employer).where(Employer.slug == slug))
    if entry is None or not entry.is_public:
        abort(404)
    return render_template("public/employer.html", **employer_page_context(entry))


@bp.get("/t/<code>")
def qr(code: str):
    """Count the scan and redirect; published codes come from the per-version snapshot."""
    normalised = scans.normalise_code(code)
    known = current_snapshot().codes.get(normalised) if normalised else None
    if known is None:
        target = scans.find_code(normalised) if normalised else None
        if target is None:
            abort(404)
        if target.status != Status.PUBLISHED:
            return gone(target), 410
        known = (target.id, target.slug)
    scans.record_scan(known[0])
    response = redirect(url_for("public.employer", slug=known[1]), code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


def gone(target: scans.CodeTarget) -> str:
    """A friendly page for a paused or withdrawn entry, with open doors nearby."""
    lat, lon = target.lat, target.lon
    if lat is None or lon is None:
        lat, lon = current_city().quarter_centres.get(target.quarter, current_city().map["center"])
    nearby = search.nearest(current_snapshot(), lat, lon)
    return render_template("public/gone.html", nearby=nearby, format_km=formatting.format_km)
