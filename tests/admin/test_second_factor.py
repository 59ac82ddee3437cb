"""Second factor for staff: set up, sign in with a code, no replay, switch off, reset by CLI."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, StaffUser
from tests.admin.helpers import csrf_token, login


def set_up(client) -> str:
    page = client.get("/admin/zwei-faktor").get_data(as_text=True)
    assert "<svg" in page and "Scannen Sie den QR-Code" in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/admin/zwei-faktor", data={
        "csrf_token": csrf_token(client, "/admin/zwei-faktor"),
        "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 303
    return secret


def code_for(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def test_set_up_then_the_password_alone_no_longer_signs_in(app, reviewer, make_staff):
    secret = set_up(reviewer)
    fresh = app.test_client()
    response = login(fresh, "reviewer@stadt.example")
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/login/code")
    assert fresh.get("/admin/").status_code == 303  # not signed in yet
    page = fresh.get("/admin/login/code").get_data(as_text=True)
    assert "Code aus Ihrer App" in page and 'autocomplete="one-time-code"' in page
    wrong = fresh.post("/admin/login/code", data={"csrf_token": csrf_token(fresh, "/admin/login/code"),
                                                  "code": "000000"})
    assert wrong.status_code == 400 and "Der Code stimmt nicht" in wrong.get_data(as_text=True)
    right = fresh.post("/admin/login/code", data={"csrf_token": csrf_token(fresh, "/admin/login/code"),
                                                  "code": code_for(secret, 1)})
    assert right.status_code == 303
    assert fresh.get("/admin/").status_code == 200
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "staff_second_factor_on" in actions and "staff_second_factor_ok" in actions


def test_a_code_works_only_once(app, reviewer):
    secret = set_up(reviewer)
    first, second = app.test_client(), app.test_client()
    code = code_for(secret, 1)
    for client in (first, second):
        login(client, "reviewer@stadt.example")
    ok = first.post("/admin/login/code", data={"csrf_token": csrf_token(first, "/admin/login/code"),
                                               "code": code})
    replay = second.post("/admin/login/code", data={
        "csrf_token": csrf_token(second, "/admin/login/code"), "code": code})
    assert ok.status_code == 303 and replay.status_code == 400


def test_code_page_without_the_password_step_sends_back_to_login(client):
    response = client.get("/admin/login/code")
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/login")


def test_wrong_codes_pause_the_client_like_wrong_passwords(app, reviewer):
    secret = set_up(reviewer)
    fresh = app.test_client()
    fresh.environ_base["REMOTE_ADDR"] = "10.9.9.9"
    login(fresh, "reviewer@stadt.example")
    for _ in range(5):
        fresh.post("/admin/login/code", data={"csrf_token": csrf_token(fresh, "/admin/login/code"),
                                              "code": "123456"})
    # A new correct password does not reset the count of wrong codes.
    login(fresh, "reviewer@stadt.example")
    right = fresh.post("/admin/login/code", data={
        "csrf_token": csrf_token(fresh, "/admin/login/code"), "code": code_for(secret, 1)})
    assert right.status_code == 400
    other = app.test_client()
    login(other, "reviewer@stadt.example")
    ok = other.post("/admin/login/code", data={
        "csrf_token": csrf_token(other, "/admin/login/code"), "code": code_for(secret, 1)})
    assert ok.status_code == 303


def test_full_width_digits_in_a_code_are_read_as_digits(app, reviewer):
    secret = set_up(reviewer)
    fresh = app.test_client()
    login(fresh, "reviewer@stadt.example")
    wide = "".join(chr(ord(d) + 0xFEE0) for d in code_for(secret, 1))
    response = fresh.post("/admin/login/code", data={
        "csrf_token": csrf_token(fresh, "/admin/login/code"), "code": wide[:3] + " " + wide[3:]})
    assert response.status_code == 303
    odd = app.test_client()
    login(odd, "reviewer@stadt.example")
    assert odd.post("/admin/login/code", data={
        "csrf_token": csrf_token(odd, "/admin/login/code"), "code": "١٢٣٤٥٦"}).status_code == 400


def test_switch_off_needs_a_valid_code(app, reviewer):
    secret = set_up(reviewer)
    token = csrf_token(reviewer, "/admin/zwei-faktor")
    reviewer.post("/admin/zwei-faktor/aus", data={"csrf_token": token, "code": "000000"})
    with app.app_context():
        assert db.session.scalars(select(StaffUser)).one().totp_secret == secret
    reviewer.post("/admin/zwei-faktor/aus", data={"csrf_token": token, "code": code_for(secret)})
    with app.app_context():
        assert db.session.scalars(select(StaffUser)).one().totp_secret is None


def test_cli_resets_a_lost_second_factor(app, runner, reviewer):
    set_up(reviewer)
    result = runner.invoke(args=["campaign", "reset-mfa", "reviewer@stadt.example"])
    assert "ausgeschaltet" in result.output
    fresh = app.test_client()
    assert login(fresh, "reviewer@stadt.example").headers["Location"].endswith("/admin/")


def test_dashboard_suggests_the_second_factor_until_it_is_set_up(reviewer):
    assert "Richten Sie die Zwei-Faktor-Anmeldung ein" in reviewer.get("/admin/").get_data(as_text=True)
    set_up(reviewer)
    assert "Richten Sie die Zwei-Faktor-Anmeldung ein" not in reviewer.get("/admin/").get_data(
        as_text=True)


