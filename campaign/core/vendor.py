"""Front-end libraries from their PyPI xstatic packages, served from our own origin.

The version is part of the URL, so the files can be cached for a year.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory, url_for

bp = Blueprint("vendor", __name__)

ONE_YEAR = 365 * 24 * 3600
ALLOWED_SUFFIXES = (".js", ".css", ".png", ".svg")


def _packages() -> dict[str, tuple[str, str]]:
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as markercluster

    return {"leaflet": (leaflet.BASE_DIR, leaflet.VERSION),
            "markercluster": (markercluster.BASE_DIR, markercluster.VERSION)}


PACKAGES = _packages()


def version_of(package: str) -> str:
    return PACKAGES[package][1]


@bp.get("/vendor/<package>/<version>/<path:filename>")
def asset(package: str, version: str, filename: str):
    if package not in PACKAGES or version != PACKAGES[package][1]:
        abort(404)
    if not filename.endswith(ALLOWED_SUFFIXES):
        abort(404)
    return send_from_directory(PACKAGES[package][0], filename, max_age=ONE_YEAR)


def vendor_url(package: str, filename: str) -> str:
    return url_for("vendor.asset", package=package, version=version_of(package), filename=filename)


@bp.record_once
def register_template_global(state) -> None:
    # A global, not a context processor, so imported macros can use it too.
    state.app.jinja_env.globals["vendor_url"] = vendor_url
