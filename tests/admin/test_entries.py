"""All entries: filters, search, sorting, paging, editing, stickers, notes, pause and delete."""

from __future__ import annotations

from campaign.extensions import db
from campaign.models import AuditEntry, Employer, ScanCount, Status, utcnow
from tests.admin.helpers import post
from tests.admin.test_review import entry, with_private
from tests.signup_data import signup_form


def names_on(client, query: str) -> str:
    return client.get("/admin/eintraege?" + query).get_data(as_text=True)


def rows_on(client, query: str) -> str:
    """Only the result table of the list (filters and chips name things too)."""
    page = names_on(client, query)
    return page[page.index("<table"):page.index("</table>")] if "<table" in page else ""


def test_filters_combine_and_show_as_removable_links(app, viewer, make_employer):
    make_employer(name="Hammer Bäcker", quarter="Hamme", offers=["praktikum"])
    make_employer(name="Stiepel Schreiner", district="Süd", quarter="Stiepel")
    make_employer(Status.PENDING, name="Wartet Hamme", quarter="Hamme")
    page = names_on(viewer, "status=published&quarter=Hamme")
    assert "Hammer Bäcker" in page and "Stiepel Schreiner" not in page
    assert "Wartet Hamme" not in page and "1 Eintrag gefunden" in page
    assert "Filter entfernen: </span>Stadtteil: Hamme" in page
    assert 'href="/admin/eintraege?status=published&amp;sort=eingang&amp;order=desc"' in page
    assert "Stiepel" not in rows_on(viewer, "focus=ja")
    assert "Hammer Bäcker" in names_on(viewer, "offer=praktikum")
    assert "Stiepel Schreiner" not in rows_on(viewer, "offer=praktikum")


def test_search_finds_name_and_contact_and_ignores_wildcards(viewer, reviewer, make_employer):
    make_employer(name="Café Ruhr", contact_email="team@cafe-ruhr.de")
    make_employer(name="Anderes")
    assert "Café Ruhr" in names_on(reviewer, "q=team@cafe")
    assert "Café Ruhr" not in names_on(viewer, "q=team@cafe")  # viewers: public fields only
    assert "Anderes" not in rows_on(viewer, "q=Caf%C3%A9")
    assert "0 Einträge gefunden" in names_on(viewer, "q=%25%25")


def test_sticker_filter_finds_who_still_needs_one(app, viewer, make_employer):
    done = make_employer(name="Hat Aufkleber")
    make_employer(name="Braucht Aufkleber")
    make_employer(Status.PENDING, name="Noch nicht frei")
    with_private(app, done.id, sticker_status="on_door")
    page = rows_on(viewer, "sticker=needed")
    assert "Braucht Aufkleber" in page
    assert "Hat Aufkleber" not in page and "Noch nicht frei" not in page


def test_sorting_links_and_pagination(viewer, make_employer):
    for letter in "CAB":
        make_employer(name=f"Firma {letter}")
    page = names_on(viewer, "sort=name&order=asc")
    assert page.index("Firma A") < page.index("Firma B") < page.index("Firma C")
    assert 'aria-sort="ascending"' in page
    for number in range(50):
        make_employer(name=f"Masse {number}")
    first = names_on(viewer, "")
    assert "53 Einträge gefunden" in first and 'rel="next"' in first
    assert 'aria-current="page"' in names_on(viewer, "page=2")
    assert "Keine Einträge gefunden" in names_on(viewer, "page=999")


def test_staff_edit_goes_live_at_once_and_is_audited(app, reviewer, make_employer):
    employer = make_employer(name="Alter Name")
    page = reviewer.get(f"/admin/eintraege/{employer.id}/bearbeiten").get_data(as_text=True)
    assert 'value="Alter Name"' in page and 'name="version" type="hidden" value="1"' in page
    data = signup_form(name="Neuer Name", contact_email="neu@firma.de", sticker_name="NEU",
                       is_subsidiary="y", version="1")
    response = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data)
    assert response.status_code == 303
    stored = entry(app, employer.id)
    assert (stored.name, stored.sticker_name, stored.is_subsidiary) == ("Neuer Name", "NEU", True)
    assert stored.private.contact_email == "neu@firma.de" and stored.status == Status.PUBLISHED
    history = reviewer.get(f"/admin/eintraege/{employer.id}").get_data(as_text=True)
    assert "edited" in history and "Name auf dem Aufkleber" in history


def test_edit_with_an_old_version_is_refused(app, reviewer, make_employer):
    employer = make_employer(name="Bleibt")
    data = signup_form(name="Überschrieben", version="0")
    response = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data,
                    follow_redirects=True)
    assert "gerade von jemand anderem bearbeitet" in response.get_data(as_text=True)
    assert entry(app, employer.id).name == "Bleibt"


def test_edit_errors_are_shown_and_nothing_changes(app, reviewer, make_employer):
    other = make_employer(contact_email="vergeben@firma.de")
    employer = make_employer(name="Bleibt")
    bad = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten",
               signup_form(postal_code="10115", version="1"))
    assert bad.status_code == 400 and "Der Betrieb muss in Bochum liegen" in bad.get_data(
        as_text=True)
    taken = post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten",
                 signup_form(contact_email="Vergeben@firma.de", version="1"))
    assert "gibt es schon einen anderen Eintrag" in taken.get_data(as_text=True)
    assert entry(app, employer.id).name == "Bleibt" and other.id


def test_pause_resume_and_sticker_status_and_notes(app, reviewer, make_employer):
    employer = make_employer()
    post(reviewer, f"/admin/eintraege/{employer.id}/pausieren")
    assert entry(app, employer.id).status == Status.PAUSED
    assert reviewer.get(f"/betrieb/{employer.slug}").status_code == 404
    post(reviewer, f"/admin/eintraege/{employer.id}/fortsetzen")
    assert entry(app, employer.id).status == Status.PUBLISHED
    post(reviewer, f"/admin/eintraege/{employer.id}/aufkleber", {"sticker_status": "on_door"})
    post(reviewer, f"/admin/eintraege/{employer.id}/notiz", {"internal_notes": "Ruft zurück"})
    stored = entry(app, employer.id)
    assert stored.private.sticker_status == "on_door" and stored.private.sticker_updated_at
    assert stored.private.internal_notes == "Ruft zurück"
    page = reviewer.get(f"/admin/eintraege/{employer.id}").get_data(as_text=True)
    assert "Hängt an der Tür" in page and "Ruft zurück" in page


def test_bulk_sticker_status(app, reviewer, make_employer):
    ids = [make_employer().id for _ in range(3)]
    page = post(reviewer, "/admin/eintraege/auswahl",
                {"action": "sticker", "sticker_status": "printed", "ids": ids[:2]},
                follow_redirects=True).get_data(as_text=True)
    assert "Aufkleber bei 2 Einträgen geändert" in page
    assert [entry(app, i).private.sticker_status for i in ids] == ["printed", "printed", "none"]
    empty = post(reviewer, "/admin/eintraege/auswahl", {"action": "sticker"},
                 follow_redirects=True).get_data(as_text=True)
    assert "Wählen Sie zuerst mindestens einen Eintrag aus" in empty


def test_admin_deletes_an_entry_with_its_scans_and_keeps_the_audit(app, admin, make_employer):
    employer = make_employer()
    with app.app_context():
        db.session.add(ScanCount(employer_id=employer.id, day=utcnow().date(), count=3))
        db.session.commit()
    response = post(admin, f"/admin/eintraege/{employer.id}/loeschen", follow_redirects=True)
    assert "ist gelöscht" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Employer, employer.id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(ScanCount)) == 0
        assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "deleted"))
    assert admin.get(f"/admin/eintraege/{employer.id}").status_code == 404


def test_withdrawn_entry_page_still_opens(admin, make_employer, app):
    employer = make_employer(Status.WITHDRAWN)
    with app.app_context():
        stored = db.session.get(Employer, employer.id)
        stored.private = None
        db.session.commit()
    assert admin.get(f"/admin/eintraege/{employer.id}").status_code == 200
    assert admin.get(f"/admin/eintraege/{employer.id}/bearbeiten").status_code == 404


def test_changing_the_contact_address_ends_links_sent_to_the_old_one(app, reviewer, make_employer):
    from campaign.core import links

    employer = make_employer(contact_email="alt@firma.de")
    with app.test_request_context():
        old_link = links.manage_url(db.session.get(Employer, employer.id)).removeprefix(
            app.config["PUBLIC_URL"])
    data = signup_form(name=employer.name, contact_email="neu@firma.de", version="1")
    assert post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data).status_code == 303
    response = app.test_client().get(old_link)
    assert response.status_code == 400 and "schon benutzt" in response.get_data(as_text=True)
