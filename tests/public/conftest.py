"""Helpers for the public pages: publishing entries directly and a browser page that records
console errors, CSP violations and dialogs, with map tiles answered locally."""

from __future__ import annotations

import pytest

from campaign.core import audit
from campaign.extensions import db
from tests.browser_support import serve_blank_tiles, watched_page


def bump_version(app) -> None:
    """Direct inserts skip operations.set_status, so tell the caches like it would."""
    with app.app_context():
        audit.public_data_changed()
        db.session.commit()


@pytest.fixture
def publish(app, make_employer):
    """Create an entry and bump the public data version, as approving it would."""

    def make(**fields):
        employer = make_employer(**fields)
        bump_version(app)
        return employer

    return make


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="de-DE")
    serve_blank_tiles(context)
    watched = watched_page(context)
    watched.dialogs = []
    watched.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    yield watched
    context.close()
