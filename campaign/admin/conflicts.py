"""Edit conflicts in the admin panel: one handler instead of a try/except in every view.

Staff forms carry the version they were shown (`VersionedForm`); an operation raises
`Conflict` when the entry changed since, and the database raises `StaleDataError` when two
writers race for the same row. Either way nothing was saved: the handler rolls back and
answers 409. A view that registers a renderer with `@keeps_input_on_conflict` shows its form
again with what the staff member typed, on the entry's new state; any other view gets a
short page pointing back to the entry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from campaign.admin.access import bp
from campaign.admin.labels import CONFLICT
from campaign.entries.lifecycle import Conflict
from campaign.extensions import db

log = logging.getLogger(__name__)
_RENDERERS: dict[str, Callable] = {}


def keeps_input_on_conflict(render: Callable):
    """Register `render(**view_args)`, which returns the view's form page filled from the
    request, for when the view's operation loses a race."""

    def register(view):
        _RENDERERS[f"{bp.name}.{view.__name__}"] = render
        return view

    return register


@bp.errorhandler(Conflict)
@bp.errorhandler(StaleDataError)
def edit_conflict(error):
    db.session.rollback()
    log.info("Edit conflict on %s %s", request.method, request.path)
    render = _RENDERERS.get(request.endpoint)
    if render is not None:
        return render(**request.view_args), 409
    entry_id = (request.view_args or {}).get("id")
    back = url_for("admin.entry", id=entry_id) if entry_id else url_for("admin.entries")
    return render_template("admin/conflict.html", text=CONFLICT, back=back), 409
