"""A Babel extractor for the city file: its sectors are shown to visitors, so they need
translations like any other text (see babel.cfg)."""

from __future__ import annotations

import json


def city_sectors(fileobj, keywords, comment_tags, options):
    """Yield (line, function, message, comments) for every sector in a city JSON file."""
    data = json.load(fileobj)
    for sector in data.get("sectors", []):
        yield 1, "gettext", sector, ["Branche (sector) from the city file"]
