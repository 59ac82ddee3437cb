"""Template globals and filters shared by every page and mail."""

from __future__ import annotations

from flask import current_app, get_flashed_messages
from flask_babel import gettext
from markupsafe import Markup

from campaign.core import links
from campaign.core.text import quoted_entry
from campaign.entries.dropin import (
    WEEKDAYS,
    WEEKDAYS_ON,
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
from campaign.i18n.formatting import (
    decimal_sign,
    language_gloss,
    language_glosses,
    list_separator,
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


def time_tag(value: str) -> Markup:
    """'14:30' as <time datetime="14:30">14:30</time>, for a time inside a translated sentence."""
    return Markup('<time datetime="{}">{}</time>').format(value, format_time(value))


def sector_label(sector: str) -> str:
    """A sector from the city file in the visitor's language (campaign.i18n.extract lists them)."""
    return gettext(sector) if sector else ""


def init_app(app) -> None:
    app.jinja_env.globals.update(
        city=app.extensions["campaign_city"],
        OFFER_LABELS=OFFER_LABELS, OFFER_HINTS=OFFER_HINTS, LANGUAGES=LANGUAGES,
        RTL_LANGUAGES=RTL_LANGUAGES, STATUS_LABELS=STATUS_LABELS, WEEKDAYS=WEEKDAYS,
        WEEKDAYS_ON=WEEKDAYS_ON, decimal_sign=decimal_sign, language_gloss=language_gloss,
        language_glosses=language_glosses, list_separator=list_separator,
        field_errors=field_errors, get_flashed_messages=get_flashed_messages, osm_link=links.osm_place_url,
        osm_search=links.osm_search_url,
        location_text=location_text,
        closed_day_text=closed_day_text,
    )
    app.jinja_env.filters.update(
        status_text=status_text, slots_by_day=slots_by_day, format_time=format_time,
        entered=quoted_entry,
        time_tag=time_tag, sector_label=sector_label,
    )
    app.jinja_env.globals["config_value"] = lambda key: current_app.config.get(key)
