"""Staff set the day a wave's invitation round ends; retention counts from it."""

from __future__ import annotations

from datetime import date

from campaign.extensions import db
from campaign.models import Wave
from tests.admin.helpers import post


def test_staff_set_the_end_of_a_wave(app, admin):
    with app.app_context():
        wave = Wave(name="Töchter")
        db.session.add(wave)
        db.session.commit()
        wave_id = wave.id
    page = admin.get("/admin/wellen").get_data(as_text=True)
    assert "ohne Datum" in page
    response = post(admin, f"/admin/wellen/{wave_id}/ende", {"ends_on": "2027-03-31"})
    assert response.status_code == 303
    assert "ist gespeichert" in admin.get("/admin/wellen").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Wave, wave_id).ends_on == date(2027, 3, 31)
    refused = post(admin, f"/admin/wellen/{wave_id}/ende", {"ends_on": "31.02.2027"})
    assert refused.status_code == 303
    assert "gültiges Datum" in admin.get("/admin/wellen").get_data(as_text=True)
