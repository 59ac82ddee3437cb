"""Staff see how exact an entry's point is, and approvals say "auf der Karte" only when true."""

from __future__ import annotations

from campaign.models import Status
from tests.geocoder_server import GARBAGE
from tests.support import text_of
from tests.test_geocoding import HAMME, app_config, approve, feature_of, publish  # noqa: F401
from tests.test_signup import post_signup


def test_an_employer_who_never_touches_the_pin_is_on_the_map_after_approval_marked_approximate(
        app, client, geocoder, reviewer, smtp):
    geocoder.answer = GARBAGE["no_hit"]
    post_signup(client, app)
    employer = publish(app)
    smtp.clear()
    page = approve(reviewer, employer).get_data(as_text=True)
    assert "ist freigegeben und jetzt auf der Karte sichtbar, an einer ungefähren Lage" in page
    feature = feature_of(client, employer.slug)
    assert feature["geometry"]["coordinates"] == [HAMME[1], HAMME[0]]
    assert feature["properties"]["location_source"] == "approximate"
    body = text_of(smtp.wait_for(1)[0])
    assert "auf der Karte zu sehen. Die Karte zeigt bisher nur die ungefähre Lage" in body
    card = client.get("/karte").get_data(as_text=True)
    assert "ungefähre Lage auf der Karte" in card
    public_page = client.get(f"/betrieb/{employer.slug}").get_data(as_text=True)
    assert "Ungefähre Lage" in public_page and 'data-approximate="true"' in public_page
    assert "openstreetmap.org/search?query=Hauptstra%C3%9Fe%205%2C%2044787%20Bochum" in public_page
    assert '"geo"' not in public_page  # no exact point claimed to search engines


def test_a_geocoded_employer_is_on_the_map_and_not_called_approximate(
        app, client, geocoder, reviewer, smtp):
    post_signup(client, app)
    employer = publish(app)
    review = reviewer.get(f"/admin/pruefen/{employer.id}").get_data(as_text=True)
    assert "Aus der Adresse gesucht (Geocoder)" in review and "Punkt verschieben" in review
    page = approve(reviewer, employer).get_data(as_text=True)
    assert "ist freigegeben und jetzt auf der Karte sichtbar." in page
    feature = feature_of(client, employer.slug)
    assert feature["geometry"]["coordinates"] == [7.2301, 51.4801]
    assert feature["properties"]["location_source"] == "geocoded"
    assert "ungefähre Lage" not in client.get("/karte").get_data(as_text=True)
    assert "ungefähre Lage" not in text_of(smtp.wait_for(2)[-1])


def test_an_entry_without_any_point_is_not_promised_on_the_map(app, client, reviewer, smtp,
                                                               make_employer):
    employer = make_employer(status=Status.PENDING, lat=None, lon=None, quarter="",
                             postal_code="", location_source="")
    review = reviewer.get(f"/admin/pruefen/{employer.id}").get_data(as_text=True)
    assert "Keine Lage: nur in der Liste, nicht auf der Karte" in review
    page = approve(reviewer, employer).get_data(as_text=True)
    assert "ist freigegeben und steht jetzt in der Liste" in page
    assert "auf der Karte sichtbar" not in page
    mail = smtp.wait_for(1)[0]
    assert "auf der Karte" not in mail["Subject"]
    assert "steht jetzt bei „Alle Türen offen“ in der Liste der Betriebe" in text_of(mail)
    assert feature_of(client, employer.slug)["geometry"] is None


def test_staff_move_the_pin_with_the_sign_up_picker_and_it_becomes_exact(
        app, client, geocoder, reviewer):
    from campaign.extensions import db
    from campaign.models import Employer
    from tests.admin.helpers import post
    from tests.signup_data import signup_form

    post_signup(client, app)
    employer = publish(app)
    edit_page = reviewer.get(f"/admin/eintraege/{employer.id}/bearbeiten").get_data(as_text=True)
    assert "data-pin-picker" in edit_page and 'id="lage" open' in edit_page
    data = signup_form(lat="51.4822", lon="7.2333", contact_email=employer.private.contact_email,
                       version=str(employer.version))
    assert post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data).status_code == 303
    with app.app_context():
        moved = db.session.get(Employer, employer.id)
        assert (moved.lat, moved.lon, moved.location_source) == (51.4822, 7.2333, "exact")
    page = reviewer.get(f"/admin/eintraege/{employer.id}").get_data(as_text=True)
    assert "Genau: vom Betrieb oder vom Team der Stadt gesetzt" in page
    assert "Lage nicht genau" not in page


def test_a_point_typed_in_before_sources_were_recorded_is_kept_as_exact(
        app, geocoder, reviewer, make_employer):
    from campaign.extensions import db
    from campaign.models import Employer
    from tests.admin.helpers import post
    from tests.signup_data import signup_form

    employer = make_employer(location_source="", contact_email="alt@firma.example")  # 51.4781
    assert "Genau: vom Betrieb" in reviewer.get(f"/admin/eintraege/{employer.id}").get_data(
        as_text=True)
    data = signup_form(street="Neue Straße 9", lat="51.4781", lon="7.219", version="1",
                       contact_email="alt@firma.example")
    assert post(reviewer, f"/admin/eintraege/{employer.id}/bearbeiten", data).status_code == 303
    with app.app_context():
        edited = db.session.get(Employer, employer.id)
        assert (edited.lat, edited.lon, edited.location_source) == (51.4781, 7.219, "exact")
    assert geocoder.requests == []
