"""The review queue: order, what staff see, and each decision with its e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, Status, utcnow
from tests.admin.helpers import post
from tests.support import hidden_inputs, links_in, text_of
from tests.test_selfservice import edit


def entry(app, employer_id: int) -> Employer:
    with app.app_context():
        employer = db.session.get(Employer, employer_id)
        _ = employer.private
        db.session.expunge_all()
        return employer


def with_private(app, employer_id: int, **values) -> None:
    with app.app_context():
        db.session.execute(update(EmployerPrivate).where(
            EmployerPrivate.employer_id == employer_id).values(**values))
        db.session.commit()


def decide(client, employer, decision="approve", message="", version=None, **kwargs):
    return post(client, f"/admin/pruefen/{employer.id}/entscheidung",
                {"decision": decision, "message": message,
                 "version": str(version or employer.version)}, **kwargs)


def test_queue_lists_new_entries_oldest_first_then_changes(app, viewer, make_employer):
    now = utcnow()
    make_employer(Status.PENDING, name="Jung", created_at=now)
    old = make_employer(Status.PENDING, name="Alt", created_at=now - timedelta(days=3))
    changed = make_employer(Status.PUBLISHED, name="Geändert", created_at=now - timedelta(days=9))
    with_private(app, changed.id, pending_changes={"description": "Neu"})
    make_employer(Status.PUBLISHED, name="Ruhig")
    page = viewer.get("/admin/pruefen").get_data(as_text=True)
    assert page.index("Alt") < page.index("Jung") < page.index("Geändert")
    assert "Ruhig" not in page
    assert "3 Einträge warten" in page
    assert f'href="/admin/pruefen/{old.id}">Prüfen<span class="visually-hidden">: Alt' in page


def test_review_page_shows_every_field_and_the_changes(app, viewer, reviewer, make_employer):
    employer = make_employer(Status.PUBLISHED, name="Bäckerei <b>&</b>", description="Alt")
    with_private(app, employer.id, pending_changes={"description": "Ganz neu",
                                                    "offers": ["praktikum"]})
    page = viewer.get(f"/admin/pruefen/{employer.id}").get_data(as_text=True)
    assert "Bäckerei &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert "<del>Alt</del>" in page and "<ins>Ganz neu</ins>" in page
    assert "<del>Ausbildung</del>" in page and "<ins>Praktikum</ins>" in page
    for label in ("Stadtteil", "Ohne Termin", "Montag 09:00–16:00"):
        assert label in page, label
    assert "Erika Muster" not in page and "kontakt1@firma1.de" not in page  # not for viewers
    assert "Entscheidung speichern" not in page  # viewers see no decision form
    page = reviewer.get(f"/admin/pruefen/{employer.id}").get_data(as_text=True)
    for label in ("Ansprechperson", "Erika Muster", "kontakt1@firma1.de", "Entscheidung speichern"):
        assert label in page, label


def test_approving_publishes_and_mails_page_and_sticker_links(app, reviewer, make_employer, smtp):
    employer = make_employer(Status.PENDING, name="Tischlerei Holz", contact_email="chef@holz.de")
    response = decide(reviewer, employer, follow_redirects=True)
    assert "Tischlerei Holz ist freigegeben und jetzt auf der Karte sichtbar" in response.get_data(
        as_text=True)
    stored = entry(app, employer.id)
    assert stored.status == Status.PUBLISHED and stored.published_at is not None
    (mail,) = smtp.wait_for(1)
    assert mail["To"] == "chef@holz.de"
    body = text_of(mail)
    assert f"https://tueren.example.org/betrieb/{employer.slug}" in body
    assert links_in(body, "/mein-eintrag/")
    assert reviewer.get(f"/betrieb/{employer.slug}").status_code == 200
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEntry.actor).where(
            AuditEntry.action == "status:published")).all()
        assert actions == ["staff:1"]


def test_approving_changes_applies_them(app, reviewer, make_employer, smtp):
    employer = make_employer(Status.PUBLISHED, description="Alt")
    with_private(app, employer.id, pending_changes={"description": "Neu"})
    decide(reviewer, employer)
    stored = entry(app, employer.id)
    assert stored.description == "Neu" and stored.private.pending_changes == {}
    assert "Änderungen" in smtp.wait_for(1)[0]["Subject"]


def test_rejecting_needs_a_reason_and_mails_it(app, reviewer, make_employer, smtp):
    employer = make_employer(Status.PENDING)
    empty = decide(reviewer, employer, "reject")
    assert empty.status_code == 400
    assert "Schreiben Sie dem Betrieb" in empty.get_data(as_text=True)
    assert entry(app, employer.id).status == Status.PENDING
    decide(reviewer, employer, "reject", "Wir finden den Betrieb nicht in Bochum.")
    assert entry(app, employer.id).status == Status.REJECTED
    assert "Wir finden den Betrieb nicht in Bochum." in text_of(smtp.wait_for(1)[0])


def test_question_keeps_entry_in_queue_and_mails_it(app, reviewer, make_employer, smtp):
    employer = make_employer(Status.PENDING, name="Frageladen")
    decide(reviewer, employer, "question", "Stimmt die Hausnummer 1?")
    stored = entry(app, employer.id)
    assert stored.status == Status.PENDING
    assert stored.private.review_message == "Stimmt die Hausnummer 1?"
    assert "Stimmt die Hausnummer 1?" in text_of(smtp.wait_for(1)[0])
    queue = reviewer.get("/admin/pruefen").get_data(as_text=True)
    assert "Frageladen" in queue and "Änderung nötig" in queue


def test_second_decision_on_the_same_version_is_told_someone_else_won(
        app, reviewer, make_employer, make_staff, smtp):
    from tests.admin.helpers import login

    employer = make_employer(Status.PENDING)
    colleague = app.test_client()
    login(colleague, make_staff(email="kollegin@stadt.example"))
    first = decide(reviewer, employer)
    second = decide(colleague, employer, "reject", "Nein", follow_redirects=True)
    assert first.status_code == 303 and first.headers["Location"] == "/admin/pruefen"
    assert "gerade von jemand anderem bearbeitet" in second.get_data(as_text=True)
    assert entry(app, employer.id).status == Status.PUBLISHED
    assert len(smtp.wait_for(1)) == 1


def test_a_change_between_reading_and_writing_is_caught(app, reviewer, make_employer, monkeypatch,
                                                         smtp):
    """The database's version check catches what the form's version check cannot see."""
    from campaign.entries import decisions as operations

    employer = make_employer(Status.PENDING)
    original = operations.touch

    def touch_and_race(target):
        db.session.execute(update(Employer).where(Employer.id == target.id)
                           .values(version=Employer.version + 1)
                           .execution_options(synchronize_session=False))
        original(target)

    monkeypatch.setattr(operations, "touch", touch_and_race)
    response = decide(reviewer, employer, follow_redirects=True)
    assert "gerade von jemand anderem bearbeitet" in response.get_data(as_text=True)
    assert entry(app, employer.id).status == Status.PENDING
    assert smtp.messages == []


def test_bulk_approve_only_touches_waiting_entries(app, reviewer, make_employer, smtp):
    waiting = [make_employer(Status.PENDING) for _ in range(2)]
    rejected = make_employer(Status.REJECTED)
    ids = [e.id for e in [*waiting, rejected]]
    page = post(reviewer, "/admin/eintraege/auswahl",
                {"action": "approve", "ids": ids, "seen": seen_in_list(reviewer)},
                follow_redirects=True).get_data(as_text=True)
    assert "2 von 3 Einträgen freigegeben" in page
    assert [entry(app, i).status for i in ids] == [Status.PUBLISHED, Status.PUBLISHED,
                                                  Status.REJECTED]
    assert len(smtp.wait_for(2)) == 2


def test_entry_that_waits_for_nothing_cannot_be_approved(app, reviewer, make_employer):
    employer = make_employer(Status.PUBLISHED)
    page = decide(reviewer, employer, follow_redirects=True).get_data(as_text=True)
    assert "wartet nicht auf eine Prüfung" in page


def seen_in_list(client) -> list[str]:
    """The "id:version" values the entries list carries for its bulk actions."""
    page = client.get("/admin/eintraege").get_data(as_text=True)
    return re.findall(r'name="seen" value="([0-9]+:[0-9]+)"', page)


def test_approval_of_what_the_reviewer_saw_never_publishes_a_later_edit(
        app, reviewer, published_signup, smtp):
    browser, manage, employer_id = published_signup
    edit(browser, manage, description="Wir backen Brot und Brötchen.")
    page = reviewer.get(f"/admin/pruefen/{employer_id}").get_data(as_text=True)
    assert "<ins>Wir backen Brot und Brötchen.</ins>" in page
    shown = hidden_inputs(page)["version"]
    edit(browser, manage, description="Jetzt klicken: https://boese.example")
    response = post(reviewer, f"/admin/pruefen/{employer_id}/entscheidung",
                    {"decision": "approve", "message": "", "version": shown},
                    follow_redirects=True)
    assert "gerade von jemand anderem bearbeitet" in response.get_data(as_text=True)
    stored = entry(app, employer_id)
    assert stored.description == "Wir backen Brot."
    assert stored.private.pending_changes == {"description": "Jetzt klicken: https://boese.example"}
    assert "boese.example" not in reviewer.get(f"/betrieb/{stored.slug}").get_data(as_text=True)
    assert smtp.messages == []
    # Looking again shows the new text; approving what is now shown publishes it.
    page = reviewer.get(f"/admin/pruefen/{employer_id}").get_data(as_text=True)
    assert "<ins>Jetzt klicken: https://boese.example</ins>" in page
    decide(reviewer, stored, "reject", "Bitte keine Links in der Beschreibung.",
           version=hidden_inputs(page)["version"])
    assert entry(app, employer_id).private.pending_changes == {}


def test_bulk_approval_refuses_when_a_change_came_in_after_the_list_was_shown(
        app, reviewer, make_employer, published_signup, smtp):
    browser, manage, employer_id = published_signup
    other = make_employer(Status.PENDING)
    edit(browser, manage, description="Gesehen.")
    seen = seen_in_list(reviewer)
    edit(browser, manage, description="Nicht gesehen.")
    response = post(reviewer, "/admin/eintraege/auswahl",
                    {"action": "approve", "ids": [employer_id, other.id], "seen": seen},
                    follow_redirects=True)
    assert "gerade von jemand anderem bearbeitet" in response.get_data(as_text=True)
    assert entry(app, employer_id).description == "Wir backen Brot."
    assert entry(app, other.id).status == Status.PENDING  # all or nothing
    assert smtp.messages == []
    without_versions = post(reviewer, "/admin/eintraege/auswahl",
                            {"action": "approve", "ids": [employer_id],
                             "seen": [f"{employer_id}:²", "x:1", f"{employer_id}"]},
                            follow_redirects=True)
    assert "gerade von jemand anderem bearbeitet" in without_versions.get_data(as_text=True)
    assert entry(app, employer_id).description == "Wir backen Brot."


def test_a_field_changed_back_is_no_longer_proposed(app, published_signup):
    browser, manage, employer_id = published_signup
    edit(browser, manage, description="Neu", name="Bäckerei Mondschein")
    edit(browser, manage, description="Neu")
    assert entry(app, employer_id).private.pending_changes == {"description": "Neu"}
    edit(browser, manage)
    assert entry(app, employer_id).private.pending_changes == {}
