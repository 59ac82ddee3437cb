"""Everything a visitor would otherwise wait for, prepared right after a worker starts."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from campaign.core import memory
from campaign.opendata.files import csv_payload, geojson_payload
from campaign.public.map_data import map_file
from campaign.public.snapshot import current_snapshot

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> threading.Thread | None:
    """Read the public data now (gunicorn hook), then build the map data and both open-data
    files in a background thread: at 50,000 entries that takes seconds, and gunicorn counts a
    worker that is still starting as hung after its timeout. A visitor asking for a file
    meanwhile waits for that one build instead of starting another."""
    try:
        with app.app_context():
            snapshot = current_snapshot()
    except Exception:  # a worker must start even when the database is not there yet
        log.warning("Could not read the public data at start", exc_info=True)
        return None
    thread = threading.Thread(target=_build_files, args=(app, snapshot), name="warm-up",
                              daemon=True)
    thread.start()
    return thread


def _build_files(app: Flask, snapshot) -> None:
    try:
        with app.app_context():
            for build in (map_file, geojson_payload, csv_payload):
                build(snapshot)
        memory.give_back()
    except Exception:  # built on first request instead
        log.warning("Could not build the public files at start", exc_info=True)
