"""Open data API: GeoJSON and CSV of published entries, with ETag, 304 and gzip from memory."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.http import http_date, parse_date

from campaign.opendata import files as opendata
from campaign.public.served_snapshot import page_snapshot
from campaign.public.snapshot import public_snapshot

bp = Blueprint("api", __name__)
CACHE_CONTROL = "public, no-cache"  # may be stored, but ask every time: 304s are cheap


def _wants_gzip() -> bool:
    header = request.headers.get("Accept-Encoding", "")
    if "gzip" not in header:
        return False
    # Full parsing only when weights are given (e.g. "gzip;q=0"): this runs on every request.
    return "q=" not in header or request.accept_encodings["gzip"] > 0


def _last_modified(payload: opendata.Payload) -> str | None:
    if payload.changed_at is None:
        return None
    return http_date(payload.changed_at)


def _not_modified(payload: opendata.Payload, last_modified: str | None) -> bool:
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        return tags.strip() == "*" or f'"{payload.etag}' in tags
    since = request.headers.get("If-Modified-Since")
    if since and last_modified:
        parsed = parse_date(since)
        return parsed is not None and parse_date(last_modified) <= parsed
    return False


def send_payload(payload: opendata.Payload, filename: str) -> Response:
    """Serve precompressed bytes; the ETag names the representation ("…-gz" for gzip)."""
    gz = _wants_gzip()
    last_modified = _last_modified(payload)
    headers = {"ETag": f'"{payload.etag}{"-gz" if gz else ""}"', "Vary": "Accept-Encoding",
               "Cache-Control": CACHE_CONTROL, "Access-Control-Allow-Origin": "*"}
    if last_modified:
        headers["Last-Modified"] = last_modified
    if _not_modified(payload, last_modified):
        return Response(status=304, headers=headers)
    if gz:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(payload.pieces if gz else payload.plain(), headers=headers,
                    content_type=payload.mimetype)


@bp.get("/api/v1/employers.geojson")
def geojson():
    snapshot = public_snapshot()[0]  # while the database is down: the last snapshot
    return send_payload(opendata.geojson_payload(snapshot), "employers.geojson")


@bp.get("/api/v1/employers.csv")
def csv():
    snapshot = public_snapshot()[0]
    return send_payload(opendata.csv_payload(snapshot), "employers.csv")


@bp.get("/offene-daten")
def docs():
    snapshot = page_snapshot()
    return render_template("public/opendata.html", count=len(snapshot),
                           changed_at=snapshot.changed_at, columns=opendata.CSV_COLUMNS)
