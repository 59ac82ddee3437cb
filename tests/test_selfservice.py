"""Double opt-in confirmation and self-service by magic link, through the Flask test client."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from campaign.core import tokens
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, Status
from tests.support import links_in, text_of
from tests.test_signup import post_signup


def csrf_of(page: str) -> str:
    marker = 'name="csrf_token" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def path_of(url: str) -> str:
    return url.replace("https://tueren.example.org", "")


@pytest.fixture
def registered(client, app, smtp):
    """A sign-up through the form; returns the confirm and manage paths from the mail."""
    post_signup(client, app)
    body = text_of(smtp.wait_for(1)[0])
    smtp.clear()
    return path_of(links_in(body, "/bestaetigen/")[0]), path_of(links_in(body, "/mein-eintrag/")[0])


def employer_in_db(app) -> Employer:
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        _ = employer.private
        db.session.expunge_all()
        return employer


def confirm(client, path):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_of(page)})


def test_confirmation_asks_for_a_click_then_records_consent(client, app, registered):
    confirm_path, _ = registered
    page = client.get(confirm_path).get_data(as_text=True)
    assert "Anmeldung bestätigen" in page and "Bäckerei Sonnenschein" in page
    assert employer_in_db(app).status == Status.UNCONFIRMED  # a GET (mail scanner) changes nothing
    response = confirm(client, confirm_path)
    assert "Anmeldung bestätigt" in response.get_data(as_text=True)
    employer = employer_in_db(app)
    assert employer.status == Status.PENDING
    assert employer.private.consent_confirmed_at is not None
    assert employer.private.privacy_version == "2026-11"


def test_second_click_says_already_confirmed(client, app, registered):
    confirm(client, registered[0])
    page = client.get(registered[0]).get_data(as_text=True)
    assert "schon bestätigt" in page
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("confirmed") == 1


def test_tampered_confirmation_link_gives_friendly_page(client, registered):
    path = registered[0]
    broken = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    response = client.get(broken)
    assert response.status_code == 400
    assert "Der Link funktioniert nicht" in response.get_data(as_text=True)
    assert "Neuen Link anfordern" in response.get_data(as_text=True)


def test_expired_confirmation_link_offers_a_new_one(client, app, registered, monkeypatch):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 8 * 24 * 3600)
    response = client.get(registered[0])
    assert response.status_code == 400
    assert "Der Link ist abgelaufen" in response.get_data(as_text=True)


def test_confirm_token_is_useless_for_self_service(client, registered):
    token = registered[0].rsplit("/", 1)[1]
    response = client.get(f"/mein-eintrag/{token}")
    assert response.status_code == 400
    assert "Der Link funktioniert nicht" in response.get_data(as_text=True)


def test_magic_link_opens_the_entry_once(client, app, registered):
    manage_path = registered[1]
    page = client.get(manage_path)
    assert page.status_code == 200
    assert 'value="Bäckerei Sonnenschein"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get(manage_path).status_code == 200  # same browser keeps its session
    other_browser = app.test_client()
    response = other_browser.get(manage_path)
    assert response.status_code == 400
    assert "schon benutzt" in response.get_data(as_text=True)


def test_requested_magic_link_expires_after_ten_minutes(client, app, smtp, registered, monkeypatch):
    confirm(client, registered[0])
    page = client.get("/mein-eintrag").get_data(as_text=True)
    client.post("/mein-eintrag", data={"email": "erika@sonnenschein.de", "csrf_token": csrf_of(page)})
    link = path_of(links_in(text_of(smtp.wait_for(1)[0]), "/mein-eintrag/")[0])
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    response = app.test_client().get(link)
    assert "Der Link ist abgelaufen" in response.get_data(as_text=True)


def test_link_request_does_not_reveal_whether_an_address_exists(client, app, smtp, registered):
    confirm(client, registered[0])
    answers = []
    for address in ("erika@sonnenschein.de", "niemand@nirgendwo.de"):
        page = client.get("/mein-eintrag").get_data(as_text=True)
        response = client.post("/mein-eintrag", data={"email": address, "csrf_token": csrf_of(page)})
        answers.append((response.status_code, response.get_data(as_text=True)))
    assert answers[0] == answers[1]
    mails = smtp.wait_for(1)
    assert [m["To"] for m in mails] == ["erika@sonnenschein.de"]


def manage_page(client, path) -> str:
    return client.get(path).get_data(as_text=True)


def edit(client, path, **changes):
    from tests.signup_data import signup_form

    data = signup_form(**changes)
    data["csrf_token"] = csrf_of(manage_page(client, path))
    return client.post(path, data=data)


def test_edit_of_pending_entry_applies_at_once(client, app, registered):
    confirm(client, registered[0])
    response = edit(client, registered[1], name="Bäckerei Mondschein", contact_phone="0234 999")
    assert response.status_code == 303
    assert "sichtbar" in client.get(response.headers["Location"]).get_data(as_text=True)
    employer = employer_in_db(app)
    assert employer.name == "Bäckerei Mondschein" and employer.private.contact_phone == "0234 999"


def test_edit_of_published_entry_waits_for_review(client, app, registered):
    confirm(client, registered[0])
    with app.app_context():
        db.session.execute(db.update(Employer).values(status=Status.PUBLISHED))
        db.session.commit()
    edit(client, registered[1], name="Neuer Name", contact_name="Max Muster")
    employer = employer_in_db(app)
    assert employer.name == "Bäckerei Sonnenschein"
    assert employer.private.pending_changes == {"name": "Neuer Name"}
    assert employer.private.contact_name == "Max Muster"


def test_edit_errors_keep_values(client, registered):
    response = edit(client, registered[1], name="", postal_code="abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Geben Sie den Namen des Betriebs ein" in page and 'value="abc"' in page


def test_pause_and_resume_a_published_entry(client, app, registered):
    confirm(client, registered[0])
    with app.app_context():
        db.session.execute(db.update(Employer).values(status=Status.PUBLISHED))
        db.session.commit()
    page = manage_page(client, registered[1])
    response = client.post(registered[1] + "/pausieren", data={"csrf_token": csrf_of(page)})
    assert "pausiert" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert employer_in_db(app).status == Status.PAUSED
    page = manage_page(client, registered[1])
    client.post(registered[1] + "/fortsetzen", data={"csrf_token": csrf_of(page)})
    assert employer_in_db(app).status == Status.PUBLISHED


def test_withdrawal_deletes_personal_data(client, app, registered):
    confirm(client, registered[0])
    page = client.get(registered[1] + "/zurueckziehen").get_data(as_text=True)
    assert "wirklich zurückziehen" in page
    response = client.post(registered[1] + "/zurueckziehen", data={"csrf_token": csrf_of(page)})
    assert response.headers["Location"].endswith("/mein-eintrag/zurueckgezogen")
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        assert employer.status == Status.WITHDRAWN
        assert employer.name == "" and employer.public_email == "" and employer.public_phone == ""
        assert db.session.scalars(select(EmployerPrivate)).all() == []
        audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "status:withdrawn")).one()
        assert audit.employer_id == employer.id and "erika" not in str(audit.details)
    assert client.get(registered[1]).status_code == 400


def test_state_changes_need_post_and_csrf(client, registered):
    assert client.get(registered[1] + "/pausieren").status_code == 405
    client.get(registered[1])
    assert client.post(registered[1] + "/pausieren", data={}).status_code == 400


def test_link_is_bound_to_its_entry(client, app, make_employer):
    other = make_employer(status=Status.PUBLISHED)
    with app.test_request_context():
        token = tokens.make(tokens.MANAGE, {"e": other.id, "n": "wrong-nonce", "t": 600})
    assert client.get(f"/mein-eintrag/{token}").status_code == 400
