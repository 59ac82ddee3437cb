"""Everything a visitor would otherwise wait for, built right after a worker starts."""

from __future__ import annotations

import logging

from flask import Flask

from campaign.opendata.files import csv_payload, geojson_payload
from campaign.public.map_data import map_file
from campaign.public.snapshot import current_snapshot

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> None:
    """Read the public data and build the map data and both open-data files (gunicorn hook)."""
    if "campaign_city" not in getattr(app, "extensions", {}):
        return  # another WSGI app served from this folder
    try:
        with app.app_context():
            snapshot = current_snapshot()
            for build in (map_file, geojson_payload, csv_payload):
                build(snapshot)
    except Exception:  # a worker must start even when the database is not there yet
        log.warning("Could not warm the public data", exc_info=True)
