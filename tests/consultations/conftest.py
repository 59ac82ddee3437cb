"""Fixtures for consultation points: staff clients (from the admin tests) and points in the
database."""

from __future__ import annotations

import pytest

from campaign.extensions import db
from campaign.models import ConsultationPoint
from tests.admin.conftest import admin, make_staff, reviewer, viewer  # noqa: F401
from tests.public.conftest import page  # noqa: F401


def weekly(weekday: int, start_date: str, start: str = "09:00", end: str = "12:00",
           kind: str = "weekly", **extra) -> dict:
    return {"kind": kind, "weekday": weekday, "start_date": start_date, "start": start,
            "end": end, "until": "", **extra}


@pytest.fixture
def make_point(app):
    counter = iter(range(1, 100000))

    def make(**fields) -> ConsultationPoint:
        number = next(counter)
        values = dict(
            slug=f"beratung-{number}", provider="Jobcenter Bochum", title=f"Sprechstunde {number}",
            description="Fragen zu Arbeit und Ausbildung", street="Hauptstraße 1",
            postal_code="44801", city="Bochum", district="Süd", quarter="Querenburg",
            target_groups=["jugendliche"], languages=["de", "tr"], contact="Telefon 0234 1",
            no_appointment=True, published=True,
            schedule={"rules": [weekly(1, "2026-01-06")], "exceptions": []})
        values.update(fields)
        with app.app_context():
            point = ConsultationPoint(**values)
            db.session.add(point)
            db.session.commit()
            db.session.refresh(point)
            db.session.expunge(point)
            return point

    return make
