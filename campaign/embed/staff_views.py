"""/admin/einbetten: the iframe snippet for a chosen filter, with a live preview (any staff role)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, render_template, request
from flask_babel import gettext as _
from markupsafe import escape

from campaign.admin.access import bp
from campaign.core import links
from campaign.core.city import current_city
from campaign.public import search

FRAME_HEIGHT = 720


def snippet(src: str, title: str) -> str:
    """The HTML partners paste; attribute values escaped (the filter text is user input)."""
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
            f'height="{FRAME_HEIGHT}" style="border:0" loading="lazy"></iframe>')


@bp.get("/einbetten")
def embed_snippet():
    filters = search.parse(request.args, current_city())
    query = urlencode(filters.to_args())
    src = links.external("embed.map_page") + (f"?{query}" if query else "")
    title = _("Offene Türen in %(city)s: Karte und Liste", city=current_city().city_name)
    return render_template("admin/embed.html", filters=filters, src=src,
                           snippet=snippet(src, title),
                           origins=current_app.config["EMBED_ORIGINS"])
