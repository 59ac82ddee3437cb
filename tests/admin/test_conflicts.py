"""Staff edit conflicts: one handler, a 409 page that keeps what the staff member typed."""

from __future__ import annotations

from sqlalchemy import update

from campaign.entries import decisions as operations
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.admin.helpers import post
from tests.admin.test_review import entry
from tests.signup_data import signup_form


def race_on_touch(monkeypatch):
    """Make the database's version check fire: someone commits right before our write."""
    original = operations.touch

    def touch_and_race(target):
        db.session.execute(update(Employer).where(Employer.id == target.id)
                           .values(version=Employer.version + 1)
                           .execution_options(synchronize_session=False))
        original(target)

    monkeypatch.setattr(operations, "touch", touch_and_race)


def test_an_outdated_edit_shows_the_form_again_with_the_input_and_what_differs(
        app, reviewer, make_employer):
    employer = make_employer(name="Bleibt")
    data = signup_form(name="Mein neuer Name", contact_email="kontakt@firma.de", version="0")
    response = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nicht gespeichert: der Eintrag hat sich geändert" in page
    assert 'value="Mein neuer Name"' in page  # the input is still there …
    assert "<li>Name des Betriebs</li>" in page  # … and what saving it would change is named
    assert f'name="version" type="hidden" value="{employer.version}"' in page
    assert entry(app, employer.id).name == "Bleibt"
    again = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten",
                 {**data, "version": str(employer.version)})
    assert again.status_code == 303 and entry(app, employer.id).name == "Mein neuer Name"


def test_an_edit_losing_the_race_in_the_database_is_a_409_not_a_500(
        app, reviewer, make_employer, monkeypatch):
    employer = make_employer(name="Bleibt")
    race_on_touch(monkeypatch)
    response = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten",
                    signup_form(name="Getippt", contact_email="kontakt@firma.de",
                                version=str(employer.version)))
    assert response.status_code == 409
    assert 'value="Getippt"' in response.get_data(as_text=True)
    assert entry(app, employer.id).name == "Bleibt"


def test_a_lost_decision_keeps_the_message_to_the_employer(app, reviewer, make_employer,
                                                           monkeypatch, smtp):
    employer = make_employer(Status.PENDING)
    race_on_touch(monkeypatch)
    response = post(reviewer, f"/admin/pruefen/{employer.id}/entscheidung",
                    {"decision": "question", "message": "Bitte die Hausnummer ergänzen.",
                     "version": str(employer.version)})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nicht entschieden: der Eintrag hat sich geändert" in page
    assert "Bitte die Hausnummer ergänzen." in page
    assert entry(app, employer.id).private.review_message == ""
    assert smtp.messages == []


def test_a_lost_bulk_approval_is_a_friendly_409(app, reviewer, make_employer, monkeypatch, smtp):
    employer = make_employer(Status.PENDING)
    race_on_touch(monkeypatch)
    response = post(reviewer, "/admin/eintraege/auswahl",
                    {"ids": [str(employer.id)], "action": "approve"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "gerade von jemand anderem bearbeitet" in page and 'href="/admin/eintraege"' in page
    assert entry(app, employer.id).status == Status.PENDING
    assert smtp.messages == []
