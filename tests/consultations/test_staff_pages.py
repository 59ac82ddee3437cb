"""Staff manage consultation points under /admin/beratung; viewers only read; all audited."""

from __future__ import annotations

from campaign.extensions import db
from campaign.models import AuditEntry, ConsultationPoint
from tests.test_selfservice import csrf_of

FORM = {
    "provider": "Jobcenter Bochum mit ViA Ruhr e. V.",
    "title": "Sprechstunde im Wohnhaus",
    "description": "Wir helfen bei Anträgen.",
    "street": "Hustadtring 45", "postal_code": "44801", "city": "Bochum",
    "quarter": "Querenburg", "lat": "", "lon": "",
    "target_groups": ["jugendliche", "langzeitarbeitslose"], "languages": ["de", "ar"],
    "contact": "Telefon 0234 000000", "no_appointment": "y", "published": "y",
    "rule1_kind": "biweekly", "rule1_weekday": "1", "rule1_nth": "1",
    "rule1_start_date": "06.01.2026", "rule1_start": "9", "rule1_end": "12:00",
    "rule1_until": "", "rule2_kind": "monthly", "rule2_weekday": "4", "rule2_nth": "-1",
    "rule2_start_date": "01.01.2026", "rule2_start": "14.00", "rule2_end": "16 Uhr",
    "rule2_until": "31.12.2027", "rule3_kind": "",
    "exceptions": "22.12.2026\n\n 05.01.2027 ",
}
CREATED_FIELDS = ["city", "contact", "description", "district", "languages", "lat", "lon",
                  "no_appointment", "postal_code", "provider", "published", "quarter", "schedule",
                  "street", "target_groups", "title"]


def submit(client, path: str, **changes):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={**FORM, **changes, "csrf_token": csrf_of(page)})


def only_point(app) -> ConsultationPoint:
    with app.app_context():
        point = db.session.scalars(db.select(ConsultationPoint)).one()
        db.session.expunge(point)
        return point


def actions(app) -> list[tuple[str, dict]]:
    with app.app_context():
        return [(e.action, e.details) for e in db.session.scalars(
            db.select(AuditEntry).order_by(AuditEntry.id))]


def test_reviewer_creates_a_point_with_its_schedule_as_data(app, reviewer):
    response = submit(reviewer, "/admin/beratung/neu")
    assert response.status_code == 303, response.get_data(as_text=True)
    point = only_point(app)
    assert point.slug == "sprechstunde-im-wohnhaus" and point.district == "Süd"
    assert point.lat is None and point.target_groups == ["jugendliche", "langzeitarbeitslose"]
    assert point.schedule == {
        "rules": [
            {"kind": "biweekly", "weekday": 1, "start_date": "2026-01-06", "start": "09:00",
             "end": "12:00", "until": ""},
            {"kind": "monthly", "weekday": 4, "start_date": "2026-01-01", "start": "14:00",
             "end": "16:00", "until": "2027-12-31", "nth": -1}],
        "exceptions": ["2026-12-22", "2027-01-05"]}
    page = reviewer.get("/admin/beratung").get_data(as_text=True)
    assert "Sprechstunde im Wohnhaus" in page
    assert "alle zwei Wochen am Dienstag, 9:00 bis 12:00 Uhr" in page
    assert "am letzten Freitag im Monat, 14:00 bis 16:00 Uhr" in page
    assert ("consultation_created", {"consultation": point.id, "published": True,
                                     "fields": CREATED_FIELDS}) in actions(app)


def test_the_edit_form_shows_the_saved_schedule_and_records_what_changed(app, reviewer):
    submit(reviewer, "/admin/beratung/neu")
    point = only_point(app)
    page = reviewer.get(f"/admin/beratung/{point.id}/bearbeiten").get_data(as_text=True)
    assert 'value="06.01.2026"' in page and "22.12.2026\n05.01.2027" in page
    response = submit(reviewer, f"/admin/beratung/{point.id}/bearbeiten",
                      rule1_start="10:00", exceptions="", lat="51.4446", lon="7.2612",
                      title="Sprechstunde im Hochhaus")
    assert response.status_code == 303
    changed = only_point(app)
    assert changed.slug == "sprechstunde-im-wohnhaus"  # links and subscriptions keep working
    assert changed.schedule["rules"][0]["start"] == "10:00" and changed.schedule["exceptions"] == []
    assert (changed.lat, changed.lon) == (51.4446, 7.2612)
    assert ("consultation_updated", {"consultation": point.id,
                                     "fields": ["lat", "lon", "schedule", "title"]}) in actions(app)


def test_wrong_schedule_input_gets_clear_messages_and_keeps_the_input(app, reviewer):
    response = submit(reviewer, "/admin/beratung/neu", rule1_start_date="6.1.26x",
                      rule2_end="13:00", rule2_start="14:00", exceptions="24.12.2026\nHeiligabend")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Termin 1: Geben Sie an, ab wann er gilt, als TT.MM.JJJJ" in page
    assert "Termin 2: Die Uhrzeit bei „bis“ muss nach der Uhrzeit bei „von“ liegen" in page
    assert "„Heiligabend“ ist kein Datum" in page
    assert 'href="#rule1_start_date"' in page and 'value="6.1.26x"' in page
    # Monthly on the last Friday from 1 Jan: the first date is 30 Jan, after "until".
    response = submit(reviewer, "/admin/beratung/neu", rule2_until="15.01.2026")
    assert ("Termin 2: Der erste Termin wäre am 30.01.2026, also nach „gilt bis“"
            in response.get_data(as_text=True))
    response = submit(reviewer, "/admin/beratung/neu", rule1_kind="", rule2_kind="")
    assert "Geben Sie mindestens einen regelmäßigen Termin an" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ConsultationPoint.id))) == 0


def test_delete_asks_first_then_removes_and_audits(app, reviewer):
    submit(reviewer, "/admin/beratung/neu")
    point = only_point(app)
    confirm = reviewer.get(f"/admin/beratung/{point.id}/loeschen").get_data(as_text=True)
    assert "Beratungsort löschen?" in confirm and "Endgültig löschen" in confirm
    assert reviewer.post(f"/admin/beratung/{point.id}/loeschen").status_code == 400  # no CSRF
    response = reviewer.post(f"/admin/beratung/{point.id}/loeschen",
                             data={"csrf_token": csrf_of(confirm)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(ConsultationPoint, point.id) is None
    assert ("consultation_deleted", {"consultation": point.id,
                                     "slug": "sprechstunde-im-wohnhaus"}) in actions(app)


def test_viewers_read_the_list_but_cannot_change_anything(app, viewer, make_point):
    point = make_point(title="Sprechstunde Hamme")
    page = viewer.get("/admin/beratung").get_data(as_text=True)
    assert "Sprechstunde Hamme" in page and "jede Woche am Dienstag" in page
    assert "Bearbeiten" not in page and "Beratungsort anlegen" not in page
    token = csrf_of(page)
    for path in ("/admin/beratung/neu", f"/admin/beratung/{point.id}/bearbeiten",
                 f"/admin/beratung/{point.id}/loeschen"):
        assert viewer.get(path).status_code == 403
        assert viewer.post(path, data={**FORM, "csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(ConsultationPoint, point.id).title == "Sprechstunde Hamme"
    assert not [action for action, _details in actions(app) if action.startswith("consultation")]


def test_the_list_needs_a_login(client):
    response = client.get("/admin/beratung")
    assert response.status_code == 303 and "/admin/login" in response.headers["Location"]
