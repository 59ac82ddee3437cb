"""Abuse of the public side: mail as a weapon, replayed forms, invitations taken over, odd
Unicode, a busy SQLite file on a link's first click, unsafe production settings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata

import pytest
from sqlalchemy import func, select

from campaign import create_app
from campaign.entries import invitations
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status
from campaign.settings import check_worker_setup
from tests.conftest import TEST_SECRET, base_config, form_timer_for
from tests.support import ROOT, free_port, hidden_inputs, html_of, links_in, text_of
from tests.test_selfservice import confirm, csrf_of, path_of
from tests.test_signup import count, post_signup

VICTIM = "müller@bäckerei.de"


def spellings(address: str):
    """The same mailbox as an attacker might type it: NFC, NFD, upper case."""
    yield from (address, unicodedata.normalize("NFD", address), address.upper(),
                unicodedata.normalize("NFD", address.upper()))


def mails_to(smtp, address: str) -> int:
    key = address.casefold()
    return sum(1 for m in smtp.messages
               if unicodedata.normalize("NFC", m["To"]).casefold() == key)


def test_signups_with_someones_address_mail_them_only_up_to_the_cap(client, app, smtp):
    answers = set()
    for number in range(12):
        address = list(spellings(VICTIM))[number % 4]
        response = post_signup(client, app, contact_email=address, name=f"Firma {number}")
        assert response.status_code == 303
        page = client.get("/mitmachen/danke").get_data(as_text=True)
        answers.add(unicodedata.normalize("NFC", page).casefold())  # shows the spelling typed
    assert mails_to(smtp, VICTIM) == 5  # MAIL_CAP_PER_ADDRESS: 5 per hour
    assert len(answers) == 1  # capped or not, the page looks the same
    assert count(app, Employer) == 1


def test_link_requests_in_every_spelling_share_one_cap(client, app, smtp, make_employer):
    make_employer(contact_email=VICTIM)
    pages = set()
    for address in [*spellings(VICTIM), *spellings(VICTIM)]:
        page = client.get("/mein-eintrag").get_data(as_text=True)
        response = client.post("/mein-eintrag", data={"csrf_token": csrf_of(page),
                                                      "email": address})
        assert response.status_code == 200
        pages.add(response.get_data(as_text=True))
    assert mails_to(smtp, VICTIM) == 5
    assert len(pages) == 1


def test_a_company_name_cannot_put_a_link_into_the_citys_mail(client, app, smtp):
    name = "Klicken Sie hier: https://evil.example/login oder www.evil.example"
    post_signup(client, app, name=name)
    (mail,) = smtp.wait_for(1)
    text, html = text_of(mail), html_of(mail)
    assert "„Klicken Sie hier: [Link entfernt] oder [Link entfernt]“" in text
    assert "Name des Betriebs, wie im Formular eingegeben:" in text
    assert "evil.example" not in text and "evil.example" not in html
    with app.app_context():  # the entry itself keeps what was typed, for staff to judge
        assert db.session.scalars(select(Employer.name)).one() == name


def test_one_rendered_form_counts_once(client, app, smtp):
    timer = form_timer_for(app)
    first = post_signup(client, app, form_started=timer, contact_email="eins@firma.de")
    assert first.status_code == 303
    for number in range(5):
        again = post_signup(client, app, form_started=timer, contact_email=f"r{number}@firma.de",
                            name=f"Nachschlag {number}")
        assert again.status_code == 303 and again.headers["Location"].endswith("/mitmachen/danke")
    assert count(app, Employer) == 1
    assert len(smtp.messages) == 1


@pytest.fixture
def app_config():
    return {"MIN_FILL_SECONDS": 4}


def test_correcting_a_field_right_away_is_not_too_fast(client, app):
    first = post_signup(client, app, postal_code="4478", form_started=form_timer_for(app, 60))
    page = first.get_data(as_text=True)
    assert first.status_code == 400 and "Die Postleitzahl muss 5 Ziffern haben" in page
    fields = hidden_inputs(page)
    corrected = post_signup(client, app, postal_code="44787", form_started=fields["form_started"],
                            csrf_token=fields["csrf_token"])
    assert corrected.status_code == 303, corrected.get_data(as_text=True)
    fresh = post_signup(client, app, form_started=form_timer_for(app, 1),
                        contact_email="schnell@firma.de")
    assert "Das ging sehr schnell" in fresh.get_data(as_text=True)


def test_an_anonymous_signup_leaves_the_invitation_intact(client, app, smtp, make_employer):
    invited = make_employer(status=Status.INVITED, name="Stadtwerke Bochum",
                            contact_email="personal@stadtwerke.example", street="Ostring 28")
    post_signup(client, app, name="Übernommen GmbH", street="Falsche Straße 1",
                contact_email="Personal@Stadtwerke.example")
    with app.app_context():
        kept = db.session.get(Employer, invited.id)
        assert (kept.status, kept.name, kept.street) == (Status.INVITED, "Stadtwerke Bochum",
                                                         "Ostring 28")
        candidate = db.session.scalars(select(Employer).where(Employer.id != invited.id)).one()
        assert candidate.private.invited_entry_id == invited.id
        assert candidate.name == "Übernommen GmbH"
        url = invitations.invitation_url(kept)
    page = client.get(path_of(url)).get_data(as_text=True)
    assert 'value="Stadtwerke Bochum"' in page  # the personal link still works
    post_signup(client, app, name="Noch einmal", contact_email="personal@stadtwerke.example")
    assert count(app, Employer) == 2  # a repeat is the same candidate, not a third entry


@pytest.mark.parametrize("name", ["کارگاه می‌خواهم", "Team 👩‍💻 Bochum", "Familie 👨‍👩‍👧"])
def test_joiners_inside_words_and_emoji_are_accepted(client, app, name):
    assert post_signup(client, app, name=name).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Employer.name)).one() == name


@pytest.mark.parametrize("name", ["Firma\u202eHbmG", "Firma\u2066X", "\u200dFirma", "Firma \u200c",
                                  "Fir\u200bma"])
def test_bidi_overrides_and_stray_invisible_characters_are_refused(client, app, name):
    response = post_signup(client, app, name=name)
    assert response.status_code == 400
    assert "unsichtbare Steuerzeichen" in response.get_data(as_text=True)


def test_first_click_on_a_link_waits_for_another_writer(client, app, smtp, migrated_database):
    if migrated_database[0] != "sqlite":
        pytest.skip("SQLite's lock upgrade is what this checks")
    post_signup(client, app)
    manage_path = path_of(links_in(text_of(smtp.wait_for(1)[0]), "/mein-eintrag/")[0])
    confirm_path = path_of(links_in(text_of(smtp.messages[0]), "/bestaetigen/")[0])
    confirm(client, confirm_path)
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE employer SET updated_at = updated_at")

    def finish():
        time.sleep(0.5)
        writer.execute("COMMIT")

    threading.Thread(target=finish).start()
    response = app.test_client().get(manage_path)
    writer.close()
    assert response.status_code == 200, response.status_code


def test_production_refuses_a_key_of_one_repeated_character(tmp_path):
    config = {**base_config(f"sqlite:///{tmp_path}/x.sqlite", None), "TESTING": False,
              "PUBLIC_URL": "https://tueren.example.org", "SECRET_KEY": "a" * 32}
    with pytest.raises(RuntimeError, match="looks far from random"):
        create_app(config)
    config["SECRET_KEY"] = "ab" * 32
    with pytest.raises(RuntimeError, match="looks far from random"):
        create_app(config)
    config["SECRET_KEY"] = TEST_SECRET
    assert create_app(config).config["SECRET_KEY"] == TEST_SECRET


def test_several_workers_with_memory_storage_are_refused_in_production_only():
    production = {"PUBLIC_URL": "https://tueren.example.org", "RATELIMIT_STORAGE_URI": "memory://"}
    with pytest.raises(RuntimeError, match="2 times as high"):
        check_worker_setup(production, 2)
    check_worker_setup(production, 1)
    check_worker_setup({**production, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4)
    check_worker_setup({**production, "PUBLIC_URL": "http://127.0.0.1:5000"}, 2)  # warns


def test_gunicorn_does_not_start_two_workers_on_memory_storage_in_production(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "CAMPAIGN_PUBLIC_URL": "https://tueren.example.org",
           "CAMPAIGN_SECRET_KEY": TEST_SECRET, "CAMPAIGN_RATELIMIT_STORAGE_URI": "memory://",
           "CAMPAIGN_DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite'}"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
         f"127.0.0.1:{free_port()}", "wsgi:app"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "CAMPAIGN_RATELIMIT_STORAGE_URI is memory://" in result.stderr


def test_candidate_has_no_claim_on_the_address(app, client, make_employer):
    make_employer(status=Status.INVITED, contact_email="x@stadtwerke.example")
    post_signup(client, app, contact_email="x@stadtwerke.example")
    with app.app_context():
        keys = db.session.scalars(select(EmployerPrivate.contact_email_key)).all()
        assert sorted(keys, key=lambda k: k or "") == [None, "x@stadtwerke.example"]
        assert db.session.scalar(select(func.count()).select_from(Employer)) == 2


@pytest.mark.parametrize("code", ["4478²", "４４７８７"])
def test_postal_codes_need_ascii_digits(client, app, code):
    response = post_signup(client, app, postal_code=code)
    assert response.status_code == 400
    assert "Die Postleitzahl muss 5 Ziffern haben" in response.get_data(as_text=True)
