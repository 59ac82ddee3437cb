"""While the database is unreachable, employer pages come from the snapshot with a "Stand" note."""

from __future__ import annotations

from datetime import datetime

from campaign.public import served_snapshot
from campaign.public.snapshot import public_snapshot


def test_employer_page_from_the_snapshot_says_how_old_it_is(app, client, make_employer, monkeypatch):
    exact = make_employer(slug="tischlerei", name="Tischlerei Holz")
    approximate = make_employer(slug="baeckerei", name="Bäckerei Korn", location_source="approximate")
    with app.test_request_context():
        snapshot, _ = public_snapshot()
    monkeypatch.setattr(served_snapshot, "public_snapshot",
                        lambda: (snapshot, datetime(2026, 12, 2, 9, 30)))
    for employer in (exact, approximate):
        page = client.get(f"/betrieb/{employer.slug}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert employer.name in text and "Stand" in text and "09:30" in text
    assert "ungefähre Lage" in client.get("/betrieb/baeckerei").get_data(as_text=True)
