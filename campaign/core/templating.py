"""Template globals and filters shared by every page and mail."""

from __future__ import annotations

from flask import current_app, get_flashed_messages

from campaign.core import links
from campaign.core.text import quoted_entry
from campaign.entries.dropin import (
    WEEKDAYS,
    closed_day_text,
    format_time,
    slots_by_day,
    status_text,
)
from campaign.entries.vocabulary import (
    LANGUAGES,
    OFFER_HINTS,
    OFFER_LABELS,
    RTL_LANGUAGES,
    STATUS_LABELS,
    location_text,
)


def field_errors(form) -> list[tuple[str, str]]:
    """(field id, message) pairs for the error summary, in form order."""
    pairs = []
    for field in form:
        if field.name == "drop_in":
            pairs += [(f"drop_in-{day}-start", str(msg)) for day, msg in form.day_errors.items()]
            if form.drop_in_missing:
                pairs.append(("drop_in-0-open", str(form.drop_in_missing)))
        elif field.errors and field.type != "CSRFTokenField":
            target = f"{field.id}-0" if field.type == "SelectMultipleField" else field.id
            pairs.append((target, str(field.errors[0])))
    return pairs


def init_app(app) -> None:
    app.jinja_env.globals.update(
        city=app.extensions["campaign_city"],
        OFFER_LABELS=OFFER_LABELS, OFFER_HINTS=OFFER_HINTS, LANGUAGES=LANGUAGES,
        RTL_LANGUAGES=RTL_LANGUAGES, STATUS_LABELS=STATUS_LABELS, WEEKDAYS=WEEKDAYS,
        field_errors=field_errors, get_flashed_messages=get_flashed_messages, osm_link=links.osm_place_url,
        osm_search=links.osm_search_url,
        location_text=location_text,
        closed_day_text=closed_day_text,
    )
    app.jinja_env.filters.update(
        status_text=status_text, slots_by_day=slots_by_day, format_time=format_time,
        entered=quoted_entry,
    )
    app.jinja_env.globals["config_value"] = lambda key: current_app.config.get(key)
