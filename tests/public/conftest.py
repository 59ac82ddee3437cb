"""Helpers for the public pages: publishing entries directly and a browser page that records
console errors, CSP violations and dialogs, with map tiles answered locally."""

from __future__ import annotations

import pytest

from campaign import audit
from campaign.extensions import db
from tests.browser_support import watched_page

# A 1×1 transparent PNG: stands in for map tiles so no test depends on a tile server.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")
TILES = "http://127.0.0.1:9/**"


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
    context.route(TILES, lambda route: route.fulfill(status=200, body=PNG, content_type="image/png"))
    watched = watched_page(context)
    watched.dialogs = []
    watched.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    yield watched
    context.close()
