"""Every published door reaches the map: the address is looked up by the city's geocoder (a real
HTTP server on loopback here), and when that fails the quarter's centre is used, marked as
approximate everywhere the public and staff see it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from campaign.core.city import City
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.admin.helpers import post
from tests.geocoder_server import GARBAGE, photon
from tests.test_signup import post_signup

HAMME = (51.493, 7.192)  # the quarter centre of the sign-up's quarter in the city file


@pytest.fixture
def app_config(geocoder):
    return {"GEOCODER_URL": geocoder.url + "/search", "GEOCODER_TIMEOUT": 0.5}


def stored(app) -> Employer:
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        _ = employer.private
        db.session.expunge_all()
        return employer


def publish(app) -> Employer:
    """Confirm the sign-up as its owner would have done; it then waits for review."""
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        employer.status = Status.PENDING
        db.session.commit()
    return stored(app)


def approve(client, employer):
    return post(client, f"/admin/pruefen/{employer.id}/entscheidung",
                {"decision": "approve", "message": "", "version": str(employer.version)},
                follow_redirects=True)


def feature_of(client, slug: str) -> dict:
    features = json.loads(client.get("/api/v1/employers.geojson").get_data(as_text=True))
    return next(f for f in features["features"] if f["id"] == slug)


def test_sign_up_without_pin_is_looked_up_by_address_with_our_user_agent(app, client, geocoder):
    assert post_signup(client, app).status_code == 303
    employer = stored(app)
    assert (employer.lat, employer.lon, employer.location_source) == (51.4801, 7.2301, "geocoded")
    (request,) = geocoder.requests
    assert request["path"] == "/search"
    assert request["query"]["q"] == ["Hauptstraße 5, 44787 Bochum"]
    assert request["query"]["format"] == ["jsonv2"] and request["query"]["limit"] == ["1"]
    assert request["user_agent"].startswith("AlleTuerenOffen/1.0 (+https://tueren.example.org)")


def test_a_pin_set_by_the_employer_is_exact_and_the_geocoder_is_not_asked(app, client, geocoder):
    post_signup(client, app, lat="51.4700", lon="7.2100")
    employer = stored(app)
    assert (employer.lat, employer.lon, employer.location_source) == (51.47, 7.21, "exact")
    assert geocoder.requests == []


@pytest.mark.parametrize("garbage", sorted(GARBAGE))
def test_a_garbage_answer_falls_back_to_the_quarter_centre(app, client, geocoder, garbage):
    geocoder.answer = GARBAGE[garbage]
    assert post_signup(client, app).status_code == 303
    employer = stored(app)
    assert (employer.lat, employer.lon, employer.location_source) == (*HAMME, "approximate")
    assert len(geocoder.requests) == 1


def test_a_geocoder_slower_than_the_timeout_does_not_hold_up_the_form(app, client, geocoder):
    geocoder.delay = 5  # ten times the configured timeout
    assert post_signup(client, app).status_code == 303
    assert not geocoder.answered.is_set()  # saved before the geocoder even answered
    assert stored(app).location_source == "approximate"
    assert "Bitte prüfen" not in client.get("/mitmachen/danke").get_data(as_text=True)


def test_after_a_failure_the_next_forms_do_not_wait_for_the_geocoder_again(app, client, geocoder):
    geocoder.answer = GARBAGE["server_error"]
    post_signup(client, app)
    post_signup(app.test_client(), app, contact_email="zweite@firma.example",
                name="Zweiter Betrieb")
    assert len(geocoder.requests) == 1
    with app.app_context():
        sources = db.session.scalars(select(Employer.location_source)).all()
    assert sources == ["approximate", "approximate"]


def test_a_refused_connection_falls_back(app, client, geocoder):
    app.config["GEOCODER_URL"] = "http://127.0.0.1:9/search"  # discard port: nothing listens
    assert post_signup(client, app).status_code == 303
    assert stored(app).location_source == "approximate"


def test_photon_answers_are_read_too(app, client, geocoder):
    app.config.update(GEOCODER_URL=geocoder.url + "/api", GEOCODER_KIND="auto")
    geocoder.answer = photon(51.4455, 7.2611)
    post_signup(client, app)
    employer = stored(app)
    assert (employer.lat, employer.lon, employer.location_source) == (51.4455, 7.2611, "geocoded")
    query = geocoder.requests[0]["query"]
    assert geocoder.requests[0]["path"] == "/api" and "bbox" in query and "format" not in query


def test_without_a_geocoder_the_quarter_or_postal_code_centre_is_used(app, client):
    app.config["GEOCODER_URL"] = None
    post_signup(client, app)
    assert (stored(app).lat, stored(app).location_source) == (HAMME[0], "approximate")
    with app.app_context():
        from campaign.core.city import current_city
        from campaign.geocoding.placement import approximate

        by_code = approximate({"quarter": "", "postal_code": "44801"}, current_city())
        nothing = approximate({"quarter": "", "postal_code": "99999"}, current_city())
    assert (by_code.lat, by_code.lon, by_code.source) == (51.445, 7.262, "approximate")
    assert (nothing.lat, nothing.source) == (None, "")


def test_the_city_file_has_a_centre_inside_the_city_for_every_quarter_and_postal_code():
    city = City.load()
    quarters = [q for qs in city.quarters_by_district.values() for q in qs]
    assert len(quarters) == 30
    assert sorted(city.quarter_centres) == sorted(quarters)
    for lat, lon in [*city.quarter_centres.values(), *city.postal_code_centres.values()]:
        assert city.contains(lat, lon)
    for code in city.postal_code_centres:
        assert city.accepts_postal_code(code)
    centres = {tuple(c) for c in city.quarter_centres.values()}
    assert len(centres) == 30  # no two quarters share a centre


def test_self_service_edit_keeps_our_point_until_the_address_changes_or_the_pin_moves(
        app, client, geocoder, smtp):
    from tests.geocoder_server import nominatim
    from tests.signup_data import signup_form
    from tests.support import links_in, text_of
    from tests.test_selfservice import csrf_of, path_of

    post_signup(client, app)
    manage = path_of(links_in(text_of(smtp.wait_for(1)[0]), "/mein-eintrag/")[0])
    page = client.get(manage).get_data(as_text=True)
    assert "Aus Ihrer Adresse gesucht" in page and 'id="lage" open' in page
    geocoder.reset()

    def edit(**changes):
        form = signup_form(**{"lat": "51.4801", "lon": "7.2301", **changes})
        form["csrf_token"] = csrf_of(client.get(manage).get_data(as_text=True))
        assert client.post(manage, data=form).status_code == 303
        return stored(app)

    unchanged = edit()  # the form showed our point; the person left it alone
    assert (unchanged.lat, unchanged.location_source) == (51.4801, "geocoded")
    assert geocoder.requests == []
    geocoder.answer = nominatim(51.4905, 7.2402)
    moved_house = edit(street="Hauptstraße 50")
    assert (moved_house.lat, moved_house.lon, moved_house.location_source) == (
        51.4905, 7.2402, "geocoded")
    assert geocoder.requests[0]["query"]["q"] == ["Hauptstraße 50, 44787 Bochum"]
    pinned = edit(street="Hauptstraße 50", lat="51.4811", lon="7.2311")
    assert (pinned.lat, pinned.lon, pinned.location_source) == (51.4811, 7.2311, "exact")
