"""The city's colours and logo as files of our own origin, so every page wears the city's identity."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for

from campaign.core import colours
from campaign.core.city import current_city

bp = Blueprint("city_assets", __name__)

ONE_YEAR = 365 * 24 * 3600
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}


@bp.get("/stadt.css")
def stylesheet():
    css = colours.stylesheet(current_city().colors)
    response = Response(css, mimetype="text/css")
    if request.args.get("v") == _fingerprint(css):
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.public = True
    return response


@bp.get("/stadt-logo")
def logo():
    path = logo_path(current_app.config.get("CITY_FILE"), current_city().data)
    if path is None:
        abort(404)
    return send_file(path, mimetype=LOGO_TYPES[path.suffix.lower()], max_age=ONE_YEAR)


def logo_path(city_file: str | None, city: dict) -> Path | None:
    """The logo named in the city file, relative to that file; None when there is none."""
    name = (city.get("logo") or {}).get("file")
    if not name:
        return None
    base = Path(city_file).parent if city_file else Path(__file__).parent.parent / "data"
    return (base / name).resolve()


def check_identity(city_file: str | None, city: dict) -> None:
    """Run at start-up: a city file with unreadable colours or a missing logo stops the app."""
    colours.check(city["colors"])
    path = logo_path(city_file, city)
    if path is None:
        return
    if path.suffix.lower() not in LOGO_TYPES or not path.is_file():
        raise colours.IdentityProblem(f"Stadtdatei: logo.file {path} fehlt oder ist kein SVG/PNG.")
    if not city["logo"].get("alt"):
        raise colours.IdentityProblem('Stadtdatei: logo.alt fehlt (Alternativtext, z. B. "Stadt Bochum").')


def stylesheet_url() -> str:
    return url_for("city_assets.stylesheet", v=_fingerprint(colours.stylesheet(current_city().colors)))


def _fingerprint(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()[:12]


@bp.record_once
def register_template_globals(state) -> None:
    state.app.jinja_env.globals["city_stylesheet_url"] = stylesheet_url
    state.app.jinja_env.globals["city_logo"] = (state.app.extensions["campaign_city"].data
                                                .get("logo") or None)
