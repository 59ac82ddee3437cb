"""Public pages of the consultation points: dates by quarter, one page per point, the
iCalendar file and the GeoJSON. Only published points, only public fields."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, abort, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.consultations import operations
from campaign.consultations import schedule as sched
from campaign.consultations.vocabulary import KIND_LABELS, NTH_LABELS, TARGET_GROUPS
from campaign.core import links
from campaign.core.city import current_city
from campaign.entries.dropin import WEEKDAYS, format_time, local_now
from campaign.extensions import db
from campaign.models import ConsultationPoint

bp = Blueprint("consultations", __name__)
WEEKS_SHOWN = 8
NEXT_DATES = 3
GEOJSON_DATES = 5
CALENDAR_NAME = _l("Beratung vor Ort")


def time_range(occurrence: sched.Occurrence) -> str:
    start, end = occurrence.start.strftime("%H:%M"), occurrence.end.strftime("%H:%M")
    return _("%(start)s bis %(end)s Uhr", start=format_time(start), end=format_time(end))


def day_text(occurrence: sched.Occurrence) -> str:
    return f"{WEEKDAYS[occurrence.start.weekday()]}, {occurrence.start.strftime('%d.%m.%Y')}"


def schedule_lines(point: ConsultationPoint) -> list[str]:
    """Each rule in words: "alle zwei Wochen am Dienstag, 9:00 bis 12:00 Uhr"."""
    lines = []
    for rule in sched.rules_of(point.schedule):
        day = WEEKDAYS[rule["weekday"]]
        if rule["kind"] == sched.MONTHLY:
            when = _("%(nth)s %(day)s im Monat", nth=NTH_LABELS[rule["nth"]], day=day)
        else:
            when = _("%(often)s am %(day)s", often=KIND_LABELS[rule["kind"]], day=day)
        hours = _("%(start)s bis %(end)s Uhr", start=format_time(rule["start"]),
                  end=format_time(rule["end"]))
        lines.append(f"{when}, {hours}")
    return lines


def _published(slug: str) -> ConsultationPoint:
    point = db.session.scalar(db.select(ConsultationPoint).where(
        ConsultationPoint.slug == slug, ConsultationPoint.published.is_(True)))
    if point is None:
        abort(404)
    return point


def _quarter_order() -> dict[str, int]:
    quarters = [q for qs in current_city().quarters_by_district.values() for q in qs]
    return {q: i for i, q in enumerate(quarters)}


@bp.app_context_processor
def helpers() -> dict:
    return {"consultation_time": time_range, "consultation_day": day_text,
            "TARGET_GROUPS": TARGET_GROUPS}


@bp.get("/beratung")
def index():
    now = local_now()
    dates = operations.upcoming_dates(operations.published_points(), now, WEEKS_SHOWN)
    order = _quarter_order()
    # A stable sort: within a quarter the dates stay in time order.
    dates.sort(key=lambda u: (order.get(u.point.quarter, len(order)), u.point.quarter))
    by_quarter = [(quarter, list(items)) for quarter, items in
                  groupby(dates, key=lambda u: u.point.quarter)]
    return render_template("public/consultations.html", by_quarter=by_quarter,
                           weeks=WEEKS_SHOWN)


@bp.get("/beratung/<slug>")
def point(slug: str):
    point = _published(slug)
    place = operations.place_of(point, current_city())
    return render_template(
        "public/consultation.html", point=point, place=place,
        next_dates=sched.upcoming(point.schedule, local_now(), NEXT_DATES),
        osm_url=links.osm_place_url(place.lat, place.lon) if place else None,
        schedule_lines=schedule_lines(point))


@bp.get("/beratung.ics")
def calendar():
    from campaign.consultations import ical  # icalendar: 3 MB most workers never need

    host = current_app.config["PUBLIC_URL"].split("://", 1)[-1].split("/", 1)[0]
    body = ical.build(
        operations.published_points(), host=host, name=str(CALENDAR_NAME), now=local_now(),
        url_for_point=lambda p: links.external("consultations.point", slug=p.slug))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": 'attachment; filename="beratung.ics"',
        "Access-Control-Allow-Origin": "*", "Cache-Control": "public, no-cache"})


def feature(point: ConsultationPoint, now) -> dict | None:
    """One point as a GeoJSON feature: public fields only, its next dates as ISO strings."""
    place = operations.place_of(point, current_city())
    if place is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "slug": point.slug, "title": point.title, "provider": point.provider,
            "description": point.description, "street": point.street,
            "postal_code": point.postal_code, "city": point.city, "district": point.district,
            "quarter": point.quarter, "approximate": place.approximate,
            "target_groups": point.target_groups, "languages": point.languages,
            "contact": point.contact, "no_appointment": point.no_appointment,
            "schedule": schedule_lines(point),
            "next_dates": [{"start": o.start.isoformat(), "end": o.end.isoformat()}
                           for o in sched.upcoming(point.schedule, now, GEOJSON_DATES)],
            "url": links.external("consultations.point", slug=point.slug),
        },
    }


@bp.get("/api/v1/consultations.geojson")
def geojson():
    now = local_now()
    features = [f for f in (feature(p, now) for p in operations.published_points()) if f]
    response = jsonify({"type": "FeatureCollection", "features": features})
    response.mimetype = "application/geo+json"
    response.headers.update({"Access-Control-Allow-Origin": "*",
                             "Cache-Control": "public, no-cache"})
    return response
