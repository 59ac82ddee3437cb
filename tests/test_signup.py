"""Sign-up through the Flask test client: validation, storage, mail, bot and abuse handling."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from campaign.core import tokens
from campaign.extensions import db
from campaign.models import AuditEntry, Employer, EmployerPrivate, OutboxMail, Status
from tests.conftest import form_timer_for
from tests.signup_data import signup_form
from tests.support import links_in, text_of


def post_signup(client, app, **overrides):
    client.get("/mitmachen")
    data = signup_form(**overrides)
    data.setdefault("form_started", form_timer_for(app))
    with client.session_transaction() as session:
        token = session.get("csrf_token")
    if "csrf_token" not in data:
        from flask_wtf.csrf import generate_csrf
        with app.test_request_context():
            from flask import session as flask_session
            flask_session["csrf_token"] = token
            data["csrf_token"] = generate_csrf()
    return client.post("/mitmachen", data=data)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def only_employer(app) -> Employer:
    with app.app_context():
        employer = db.session.scalars(select(Employer)).one()
        _ = employer.private
        db.session.expunge_all()
        return employer


def test_form_shows_every_section_and_field(client):
    page = client.get("/mitmachen").get_data(as_text=True)
    for heading in ("Ihr Betrieb", "Adresse", "Was Sie anbieten", "Öffentlicher Kontakt",
                    "Kontakt für die Stadt", "Einverständnis"):
        assert heading in page
    for name in ("name", "sector", "description", "street", "postal_code", "city", "district",
                 "quarter", "lat", "lon", "offers", "occupations", "languages", "drop_in-0-start",
                 "ask_for", "step_free", "website", "public_phone", "public_email",
                 "contact_name", "contact_email", "contact_phone", "consent", "csrf_token"):
        assert f'name="{name}"' in page, name
    assert "novalidate" in page and 'lang="de"' in page
    assert "Wattenscheid-Mitte" in page and "Querenburg" in page


def test_valid_signup_creates_one_unconfirmed_entry_and_sends_mail(client, app, smtp):
    response = post_signup(client, app)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mitmachen/danke")
    thanks = client.get("/mitmachen/danke").get_data(as_text=True)
    assert "Anmeldung eingegangen" in thanks and "e…@sonnenschein.de" in thanks

    employer = only_employer(app)
    assert employer.status == Status.UNCONFIRMED
    assert employer.name == "Bäckerei Sonnenschein" and employer.quarter == "Hamme"
    assert employer.offers == ["ausbildung", "praktikum"] and employer.languages == ["de", "tr"]
    assert employer.drop_in == {"opening_hours": False,
                                "slots": [{"day": 0, "start": "09:00", "end": "16:00"}]}
    assert employer.private.contact_email == "erika@sonnenschein.de"
    assert employer.private.consent_requested_at is not None
    assert employer.private.consent_confirmed_at is None

    (mail,) = smtp.wait_for(1)
    assert mail["To"] == "erika@sonnenschein.de"
    assert "Bäckerei Sonnenschein" not in mail["Subject"]
    body = text_of(mail)
    assert links_in(body, "/bestaetigen/")[0].startswith("https://tueren.example.org/bestaetigen/")
    assert links_in(body, "/mein-eintrag/")
    assert mail.get_body(preferencelist=("html",)) is not None


def test_errors_keep_every_value_and_name_each_field(client, app):
    response = post_signup(client, app, name="", postal_code="4478", website="javascript:alert(1)",
                           contact_email="Max <max@firma.de>", offers=[], consent=None,
                           description="Viel <b>Text</b> & mehr")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Fehler:" in page
    assert 'class="error-summary"' in page
    for message in ("Geben Sie den Namen des Betriebs ein",
                    "Die Postleitzahl muss 5 Ziffern haben, zum Beispiel 44787",
                    "Geben Sie die Internetadresse vollständig ein",
                    "Geben Sie eine E-Mail-Adresse im richtigen Format ein",
                    "Wählen Sie aus, was Ihr Betrieb anbietet",
                    "Stimmen Sie der Veröffentlichung zu"):
        assert page.count(message) == 2, message  # summary and inline
    assert 'href="#name"' in page and 'aria-invalid="true"' in page
    assert "Viel &lt;b&gt;Text&lt;/b&gt; &amp; mehr" in page
    assert 'value="Frau Yilmaz am Empfang"' in page
    assert count(app, Employer) == 0


@pytest.mark.parametrize("field, value, message", [
    ("name", "x" * 10000, "höchstens 200 Zeichen"),
    ("contact_email", "a" * 300 + "@firma.de", "höchstens 254 Zeichen"),
    ("name", "Firma\x00GmbH", "unsichtbare Steuerzeichen"),
    ("ask_for", "Frau\u202eX", "unsichtbare Steuerzeichen"),
    ("contact_email", "a@b.de\r\nBcc: x@evil.tld", "unsichtbare Steuerzeichen"),
    ("contact_email", "max@firma.test", "E-Mail-Adresse im richtigen Format"),
    ("contact_email", "a\u200b@firma.de", "unsichtbare Steuerzeichen"),
    ("website", " JaVaScRiPt:alert(1)", "Internetadresse vollständig"),
    ("website", "data:text/html,<b>x</b>", "Internetadresse vollständig"),
    ("website", "//evil.com", "Internetadresse vollständig"),
    ("postal_code", "10115", "Der Betrieb muss in Bochum liegen"),
    ("quarter", "Stiepel", "Stiepel liegt nicht im Stadtbezirk Mitte"),
    ("public_phone", "ruf an", "Geben Sie eine Telefonnummer ein"),
    ("lat", "NaN", "als Zahlen ein"),
    ("lat", "1e309", "als Zahlen ein"),
    ("lat", "91", "liegt nicht in Bochum"),
    ("lat", "52.52", "liegt nicht in Bochum"),
    ("sector", "Raumfahrt", "Wählen Sie eine Branche aus der Liste aus"),
    ("district", "Atlantis", "Wählen Sie einen Stadtbezirk aus der Liste aus"),
])
def test_bad_values_get_a_clear_message_and_nothing_is_stored(client, app, field, value, message):
    extra = {"lon": "7.2162"} if field == "lat" else {}
    response = post_signup(client, app, **{field: value}, **extra)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Employer) == 0


def test_drop_in_hours_are_checked_day_by_day(client, app):
    response = post_signup(client, app, **{"drop_in-0-end": "8", "drop_in-2-start": "abends",
                                           "drop_in-2-end": "20"})
    page = response.get_data(as_text=True)
    assert "Am Montag muss die Uhrzeit bei „bis“ nach 9:00 Uhr liegen" in page
    assert "Geben Sie am Mittwoch bei „von“ eine Uhrzeit ein" in page
    assert 'href="#drop_in-2-start"' in page


def test_no_hours_and_no_opening_hours_is_refused(client, app):
    response = post_signup(client, app, **{"drop_in-0-open": None, "drop_in-0-start": "",
                                           "drop_in-0-end": ""})
    assert "Geben Sie an, wann junge Menschen ohne Termin kommen können" in response.get_data(
        as_text=True)


def test_opening_hours_option_is_enough(client, app):
    response = post_signup(client, app, **{"drop_in-0-open": None, "drop_in-0-start": "",
                                           "drop_in-0-end": "", "drop_in_opening_hours": "y"})
    assert response.status_code == 303
    assert only_employer(app).drop_in == {"opening_hours": True, "slots": []}


def test_times_without_ticked_day_count_as_ticked(client, app):
    post_signup(client, app, **{"drop_in-0-open": None})
    assert only_employer(app).drop_in["slots"] == [{"day": 0, "start": "09:00", "end": "16:00"}]


def test_markup_and_scripts_are_stored_literally(client, app):
    name = "Müller & Söhne <GmbH> \"Ş\" 🚪 Київ مطعم"
    post_signup(client, app, name=name)
    assert only_employer(app).name == name


def test_extra_fields_cannot_set_status_or_flags(client, app):
    post_signup(client, app, status="published", is_subsidiary="1", id="5", published="1",
                is_demo="1")
    employer = only_employer(app)
    assert employer.status == Status.UNCONFIRMED
    assert not employer.is_subsidiary and not employer.is_demo


def test_repeated_signup_with_same_address_in_other_case_creates_no_second_entry(client, app, smtp):
    post_signup(client, app)
    response = post_signup(client, app, contact_email="ERIKA@Sonnenschein.DE", name="Andere")
    assert response.status_code == 303
    assert count(app, Employer) == 1
    mails = smtp.wait_for(2)
    assert all(m["To"] == "erika@sonnenschein.de" for m in mails)
    assert "noch nicht bestätigt" in text_of(mails[1])


def test_honeypot_gets_a_thank_you_but_nothing_is_stored(client, app, smtp):
    response = post_signup(client, app, website_confirm="http://spam.example")
    assert response.status_code == 303
    assert count(app, Employer) == 0
    assert count(app, OutboxMail) == 0


@pytest.mark.parametrize("timer", ["", "forged", None])
def test_missing_or_forged_timer_is_softly_refused(client, app, timer):
    if timer is None:
        timer = form_timer_for(app, seconds_ago=1)
    response = post_signup(client, app, form_started=timer)
    assert response.status_code == 400
    assert "Das ging sehr schnell" in response.get_data(as_text=True)
    assert 'value="Bäckerei Sonnenschein"' in response.get_data(as_text=True)
    assert count(app, Employer) == 0


@pytest.fixture
def app_config():
    return {"MIN_FILL_SECONDS": 3}


def test_slow_submission_is_accepted(client, app):
    assert post_signup(client, app, form_started=form_timer_for(app, 7200)).status_code == 303


def test_audit_log_records_registration_without_personal_data(client, app):
    post_signup(client, app)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action) == ("employer", "registered")
        assert "erika" not in str(entry.details).lower()


def test_smtp_outage_keeps_registration_and_mail_is_sent_later(client, app, smtp, runner):
    app.config["SMTP_URL"] = "smtp://127.0.0.1:9"  # nothing listens there
    assert post_signup(client, app).status_code == 303
    with app.app_context():
        queued = db.session.scalars(select(OutboxMail)).one()
        assert queued.sent_at is None and queued.last_error
    app.config["SMTP_URL"] = smtp.url
    # The failed mail waits for its retry; --now tries it at once (the outage is over).
    assert "0 E-Mail(s) gesendet" in runner.invoke(args=["campaign", "send-mail"]).output
    result = runner.invoke(args=["campaign", "send-mail", "--now"])
    assert "1 E-Mail(s) gesendet" in result.output
    assert smtp.wait_for(1)[0]["To"] == "erika@sonnenschein.de"
    assert count(app, Employer) == 1


def test_private_contact_lives_apart_from_public_columns():
    public = {c.name for c in Employer.__table__.columns}
    assert not public & {"contact_name", "contact_email", "contact_phone", "internal_notes"}
    assert {"contact_name", "contact_email", "contact_phone"} <= {
        c.name for c in EmployerPrivate.__table__.columns}


def test_mail_shows_markup_names_literally_and_keeps_headers_clean(client, app, smtp):
    name = 'Evil <img src=x onerror=alert(1)> & "Co" \u00fc'
    post_signup(client, app, name=name)
    (mail,) = smtp.wait_for(1)
    assert name in text_of(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "&lt;img src=x onerror=alert(1)&gt; &amp;" in html and "<img" not in html
    raw = smtp.raw[0].decode("utf-8", "replace")
    headers = raw.split("\r\n\r\n", 1)[0]
    assert "Evil" not in headers and "Bcc" not in headers
    assert {k.lower() for k in mail} <= {
        "from", "to", "subject", "date", "message-id", "auto-submitted", "content-type",
        "mime-version", "content-transfer-encoding", "x-peer", "x-mailfrom", "x-rcptto"}


def test_fields_missing_from_the_request_are_stored_empty_not_a_server_error(client, app):
    response = post_signup(client, app, description=None, occupations=None, ask_for=None,
                           website=None, public_phone=None, public_email=None, contact_phone=None,
                           lat=None, lon=None)
    assert response.status_code == 303
    employer = only_employer(app)
    assert employer.description == "" and employer.website == ""
    # No pin and no geocoder configured: the quarter's centre, marked approximate.
    assert (employer.lat, employer.location_source) == (51.493, "approximate")


def test_correcting_one_field_and_sending_at_once_is_not_too_fast(client, app):
    """The timer started when the form was first shown; an error page does not restart it."""
    first = post_signup(client, app, postal_code="123", form_started=form_timer_for(app, 60))
    assert first.status_code == 400
    page = first.get_data(as_text=True)
    assert "Die Postleitzahl muss 5 Ziffern haben" in page
    kept = re.search(r'name="form_started" type="hidden" value="([^"]+)"', page).group(1)
    with app.test_request_context():
        assert tokens.seconds_since(kept) >= 59
    retry = post_signup(client, app, form_started=kept)
    assert retry.status_code == 303
    assert count(app, Employer) == 1


def test_a_forged_timer_is_replaced_by_a_fresh_one_on_the_error_page(client, app):
    page = post_signup(client, app, form_started="forged").get_data(as_text=True)
    assert "Das ging sehr schnell" in page
    fresh = re.search(r'name="form_started" type="hidden" value="([^"]+)"', page).group(1)
    with app.test_request_context():
        assert 0 <= tokens.seconds_since(fresh) < 3
