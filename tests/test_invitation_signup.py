"""An invited company follows its personal link: the form is pre-filled, no duplicate arises."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.entries import invitations
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status
from tests.conftest import form_timer_for
from tests.signup_data import signup_form
from tests.support import text_of
from tests.test_selfservice import csrf_of


def test_invitation_link_prefills_the_form_and_turns_into_the_registration(client, app, smtp,
                                                                           make_employer):
    invited = make_employer(status=Status.INVITED, name="Stadtwerke Bochum",
                            contact_email="personal@stadtwerke.example")
    with app.test_request_context():
        url = invitations.invitation_url(db.session.get(Employer, invited.id))
    path = url.replace(app.config["PUBLIC_URL"], "")
    page = client.get(path).get_data(as_text=True)
    assert 'value="Stadtwerke Bochum"' in page and 'value="personal@stadtwerke.example"' in page
    assert "einladung=" in page.split('data-signup-form')[0].rsplit("<form", 1)[1]
    with app.app_context():
        private = db.session.scalars(select(EmployerPrivate).filter_by(employer_id=invited.id)).one()
        assert private.invitation_opened_at is not None
    data = signup_form(name="Stadtwerke Bochum GmbH", contact_email="personal@stadtwerke.example",
                       csrf_token=csrf_of(page), form_started=form_timer_for(app))
    response = client.post(path, data=data)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Employer)) == 1
        employer = db.session.get(Employer, invited.id)
        assert employer.status == Status.UNCONFIRMED and employer.name == "Stadtwerke Bochum GmbH"
    (mail,) = smtp.wait_for(1)
    assert "/bestaetigen/" in text_of(mail)


def test_broken_invitation_link_still_shows_an_empty_form(client):
    page = client.get("/mitmachen?einladung=kaputt")
    assert page.status_code == 200
    assert 'name="name"' in page.get_data(as_text=True)
