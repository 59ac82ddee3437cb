"""A staff decision binds the employer: a staff pause or a rejection is not undone by self-service."""

from __future__ import annotations

from campaign.extensions import db
from campaign.models import Employer, PausedBy, Status
from tests.admin.helpers import post
from tests.signup_data import signup_form
from tests.test_selfservice import csrf_of, edit


def stored(app, employer_id: int) -> Employer:
    with app.app_context():
        employer = db.session.get(Employer, employer_id)
        _ = employer.private
        db.session.expunge_all()
        return employer


def employer_posts(browser, manage: str, action: str):
    page = browser.get(manage).get_data(as_text=True)
    return browser.post(f"{manage}/{action}", data={"csrf_token": csrf_of(page)},
                        follow_redirects=True)


def test_employer_cannot_resume_an_entry_staff_paused(app, reviewer, published_signup):
    browser, manage, employer_id = published_signup
    post(reviewer, f"/admin/eintraege/{employer_id}/pausieren")
    assert stored(app, employer_id).paused_by == PausedBy.STAFF
    page = browser.get(manage).get_data(as_text=True)
    assert "Das Team der Stadt hat Ihren Eintrag pausiert" in page
    assert "alle-tueren-offen@bochum.de" in page and "0234 910-0" in page
    assert "/fortsetzen" not in page  # no button that cannot work
    answer = employer_posts(browser, manage, "fortsetzen").get_data(as_text=True)
    assert "Nur das Team kann ihn wieder auf der Karte zeigen" in answer
    employer = stored(app, employer_id)
    assert employer.status == Status.PAUSED and employer.paused_by == PausedBy.STAFF
    assert browser.get(f"/betrieb/{employer.slug}").status_code == 404
    # Corrections are still possible; they wait for review like any change to a public entry.
    edit(browser, manage, description="Wir haben die Hausnummer korrigiert.")
    assert stored(app, employer_id).private.pending_changes == {
        "description": "Wir haben die Hausnummer korrigiert."}
    assert stored(app, employer_id).status == Status.PAUSED
    page = reviewer.get(f"/admin/eintraege/{employer_id}").get_data(as_text=True)
    assert "Nur das Team kann ihn wieder zeigen, der Betrieb nicht." in page
    post(reviewer, f"/admin/eintraege/{employer_id}/fortsetzen")
    employer = stored(app, employer_id)
    assert employer.status == Status.PUBLISHED and employer.paused_by == ""


def test_employer_resumes_own_pause_and_staff_can_take_it_over(app, reviewer, published_signup):
    browser, manage, employer_id = published_signup
    employer_posts(browser, manage, "pausieren")
    assert stored(app, employer_id).paused_by == PausedBy.EMPLOYER
    page = reviewer.get(f"/admin/eintraege/{employer_id}").get_data(as_text=True)
    assert "Der Betrieb hat den Eintrag selbst pausiert" in page
    assert "Pause festhalten" in page
    post(reviewer, f"/admin/eintraege/{employer_id}/pausieren")
    assert stored(app, employer_id).paused_by == PausedBy.STAFF
    employer_posts(browser, manage, "fortsetzen")
    assert stored(app, employer_id).status == Status.PAUSED


def test_a_system_pause_can_be_lifted_by_the_employer(app, published_signup):
    browser, manage, employer_id = published_signup
    with app.app_context():
        db.session.execute(db.update(Employer).values(status=Status.PAUSED,
                                                      paused_by=PausedBy.SYSTEM))
        db.session.commit()
    page = browser.get(manage).get_data(as_text=True)
    assert "/angaben-stimmen" in page and "keine Antwort bekommen" in page  # freshness pause
    employer_posts(browser, manage, "angaben-stimmen")
    employer = stored(app, employer_id)
    assert employer.status == Status.PUBLISHED and employer.paused_by == ""


def test_a_rejected_entry_cannot_be_edited_but_can_be_withdrawn(app, reviewer, make_employer,
                                                                published_signup):
    browser, manage, employer_id = published_signup
    with app.app_context():
        db.session.execute(db.update(Employer).values(status=Status.PENDING))
        db.session.commit()
    version = stored(app, employer_id).version
    post(reviewer, f"/admin/pruefen/{employer_id}/entscheidung",
         {"decision": "reject", "message": "Den Betrieb gibt es nicht in Bochum.",
          "version": str(version)})
    page = browser.get(manage).get_data(as_text=True)
    assert "Das Team der Stadt hat Ihren Eintrag abgelehnt" in page
    assert "Den Betrieb gibt es nicht in Bochum." in page
    assert "Änderungen speichern" not in page
    token = csrf_of(browser.get(manage + "/zurueckziehen").get_data(as_text=True))
    answer = browser.post(manage, data={**signup_form(name="Ganz neuer Name"), "csrf_token": token})
    assert "Deshalb können Sie ihn nicht mehr ändern" in browser.get(
        answer.headers["Location"]).get_data(as_text=True)
    employer = stored(app, employer_id)
    assert employer.status == Status.REJECTED and employer.name == "Bäckerei Sonnenschein"
    assert employer.private.pending_changes == {}
    page = browser.get(manage + "/zurueckziehen").get_data(as_text=True)
    browser.post(manage + "/zurueckziehen", data={"csrf_token": csrf_of(page)})
    employer = stored(app, employer_id)
    assert employer.status == Status.WITHDRAWN and employer.private is None


def test_an_employer_edit_racing_a_staff_change_keeps_the_values_and_asks_again(
        app, published_signup, monkeypatch):
    from sqlalchemy import update

    from campaign.entries import lifecycle

    browser, manage, employer_id = published_signup
    original = lifecycle.touch

    def touch_while_staff_saves(target):
        db.session.execute(update(Employer).where(Employer.id == target.id)
                           .values(version=Employer.version + 1)
                           .execution_options(synchronize_session=False))
        original(target)

    monkeypatch.setattr(lifecycle, "touch", touch_while_staff_saves)
    response = edit(browser, manage, description="Meine neue Beschreibung")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Ihre Änderungen sind noch nicht gespeichert" in page.replace("\n", " ") or "noch nicht gespeichert" in page
    assert "Meine neue Beschreibung" in page  # what the employer typed is still there
    assert stored(app, employer_id).private.pending_changes == {}
