"""Conflicts outside the admin panel: confirmation clicks and self-service edits never 500."""

from __future__ import annotations

from sqlalchemy import update

from campaign.entries import decisions, lifecycle
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.signup_data import signup_form
from tests.test_selfservice import confirm, csrf_of, employer_in_db, registered  # noqa: F401


def test_a_second_click_on_the_confirmation_button_shows_the_same_success(client, app,
                                                                          registered):  # noqa: F811
    confirm_path, _ = registered
    page = client.get(confirm_path).get_data(as_text=True)
    first = client.post(confirm_path, data={"csrf_token": csrf_of(page)})
    second = client.post(confirm_path, data={"csrf_token": csrf_of(page)})
    assert first.status_code == second.status_code == 200
    assert "Anmeldung bestätigt" in first.get_data(as_text=True)
    assert first.get_data(as_text=True) == second.get_data(as_text=True)
    assert employer_in_db(app).status == Status.PENDING


def manage_form(client, manage_path: str) -> tuple[str, str]:
    page = client.get(manage_path).get_data(as_text=True)
    version = page.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0]
    return csrf_of(page), version


def approve_in_background(app) -> None:
    with app.app_context():
        employer = db.session.scalars(db.select(Employer)).one()
        decisions.approve(employer, "staff:1")
        db.session.commit()


def test_an_edit_sent_after_the_team_approved_keeps_the_input_and_saves_on_resend(
        client, app, registered):  # noqa: F811
    confirm_path, manage_path = registered
    confirm(client, confirm_path)
    token, version = manage_form(client, manage_path)
    approve_in_background(app)  # the city's team approves while the form is open
    data = signup_form(name="Bäckerei Mondschein", csrf_token=token, version=version)
    response = client.post(manage_path, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Während Sie Ihre Angaben bearbeitet haben, hat sich Ihr Eintrag geändert" in page
    assert 'value="Bäckerei Mondschein"' in page and "<li>Name des Betriebs</li>" in page
    assert employer_in_db(app).private.pending_changes == {}  # nothing saved yet
    new_version = page.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0]
    again = client.post(manage_path, data={**data, "version": new_version})
    assert again.status_code == 303
    assert employer_in_db(app).private.pending_changes["name"] == "Bäckerei Mondschein"


def test_an_edit_losing_the_race_in_the_database_is_a_409(client, app, registered,  # noqa: F811
                                                           monkeypatch):
    confirm_path, manage_path = registered
    confirm(client, confirm_path)
    token, version = manage_form(client, manage_path)
    original = lifecycle.touch

    def touch_and_race(target):
        db.session.execute(update(Employer).where(Employer.id == target.id)
                           .values(version=Employer.version + 1)
                           .execution_options(synchronize_session=False))
        original(target)

    monkeypatch.setattr(lifecycle, "touch", touch_and_race)
    response = client.post(manage_path, data=signup_form(name="Getippt", csrf_token=token,
                                                         version=version))
    assert response.status_code == 409
    assert 'value="Getippt"' in response.get_data(as_text=True)
    assert employer_in_db(app).name == "Bäckerei Sonnenschein"


def test_a_racing_pause_button_gets_the_page_again_not_an_error(client, app, registered,  # noqa: F811
                                                                monkeypatch):
    confirm_path, manage_path = registered
    confirm(client, confirm_path)
    approve_in_background(app)
    token, _version = manage_form(client, manage_path)
    original = lifecycle.set_status

    def race(employer, status, actor, **details):
        db.session.execute(update(Employer).where(Employer.id == employer.id)
                           .values(version=Employer.version + 1)
                           .execution_options(synchronize_session=False))
        original(employer, status, actor, **details)

    monkeypatch.setattr(lifecycle, "set_status", race)
    response = client.post(manage_path + "/pausieren", data={"csrf_token": token})
    assert response.status_code == 409
    assert "Ihre Aktion wurde deshalb nicht ausgeführt" in response.get_data(as_text=True)
    assert employer_in_db(app).status == Status.PUBLISHED
