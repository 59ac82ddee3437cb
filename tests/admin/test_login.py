"""Staff sign-in: safe redirects, fresh sessions, real logout, backoff, identical refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models import LoginFailure, Role, StaffUser
from tests.admin.conftest import staff_row
from tests.admin.helpers import PASSWORD, TOKEN, csrf_token, login, post
from tests.support import text_of


def without_token(page: str) -> str:
    return TOKEN.sub("", page)


BAD_NEXT = [
    "//evil.com", "/\\evil.com", "\\\\evil.com", "http:/\\/evil.com", "javascript:alert(1)",
    "\x08//evil.com", "http://testserver\\@evil.com", "\n", "https://evil.com/admin/",
    "/admin\\@evil.com", "///evil.com", "/admin/\r\nSet-Cookie: x=1", "evil.com", "",
]


@pytest.mark.parametrize("target", BAD_NEXT)
def test_bad_next_goes_to_the_dashboard(client, make_staff, target):
    response = login(client, make_staff(), next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/"


@pytest.mark.parametrize("target", ["/admin/?p=http://x", "/admin/eintraege?status=pending"])
def test_good_next_is_kept(client, make_staff, target):
    response = login(client, make_staff(), next_url=target)
    assert response.headers["Location"] == target


def test_login_starts_a_fresh_session(client, make_staff):
    email = make_staff()
    before = csrf_token(client)
    with client.session_transaction() as old:
        old["planted"] = "by-attacker"
        raw_before = old["csrf_token"]
    login(client, email)
    with client.session_transaction() as new:
        assert "planted" not in new
        assert new.get("csrf_token") != raw_before
    after = csrf_token(client, "/admin/passwort")
    assert after != before


def test_logout_ends_the_session_even_if_the_cookie_is_replayed(app, make_staff):
    client = app.test_client()
    login(client, make_staff())
    stolen = client.get_cookie("session").value
    assert client.get("/admin/").status_code == 200
    assert post(client, "/admin/logout").status_code == 303
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/admin/")
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/login")


def test_deactivated_account_loses_every_session(app, admin, make_staff):
    email = make_staff(Role.REVIEWER, email="geht@stadt.example")
    other = app.test_client()
    login(other, email)
    assert other.get("/admin/").status_code == 200
    staff = staff_row(app, email)
    page = post(admin, f"/admin/team/{staff.id}/sperren", follow_redirects=True)
    assert "ist gesperrt und überall abgemeldet" in page.get_data(as_text=True)
    assert other.get("/admin/").status_code == 303
    assert login(app.test_client(), email).status_code == 400


def test_password_change_ends_other_sessions_but_keeps_this_one(app, make_staff):
    email = make_staff(Role.VIEWER)
    first, second = app.test_client(), app.test_client()
    login(first, email)
    login(second, email)
    new_password = "ein ganz neuer langer satz"
    response = post(first, "/admin/passwort", {"current": PASSWORD, "password": new_password})
    assert response.status_code == 303
    assert first.get("/admin/").status_code == 200
    assert second.get("/admin/").status_code == 303
    assert login(app.test_client(), email, new_password).status_code == 303


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make_staff):
    email = make_staff()
    wrong = login(client, email, "falsches passwort 123")
    unknown = login(client, "niemand@stadt.example", "falsches passwort 123")
    assert wrong.status_code == unknown.status_code == 400
    # The CSRF token carries a timestamp in seconds: the two pages may be a second apart.
    assert without_token(wrong.get_data(as_text=True)) == without_token(
        unknown.get_data(as_text=True).replace("niemand@stadt.example", email))
    assert "E-Mail-Adresse oder Passwort stimmen nicht" in wrong.get_data(as_text=True)
    assert 'value="falsches' not in wrong.get_data(as_text=True)


def test_wrong_passwords_from_rotating_addresses_never_lock_out_the_holder(app, make_staff,
                                                                          smtp):
    email = make_staff()
    for number in range(20):
        client = app.test_client()  # as if from a new address each time
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
        assert login(client, email, f"falsch {number} xxxxxxxx").status_code == 400
    # Under attack, each failing address has used up its guess: the right password waits too.
    again = app.test_client()
    again.environ_base["REMOTE_ADDR"] = "10.0.0.7"
    refused = login(again, email)
    assert refused.status_code == 400
    assert "für einige Minuten gesperrt" in refused.get_data(as_text=True)
    # The holder's own device, which has not failed, signs in at once.
    assert login(app.test_client(), email).status_code == 303
    alerts = smtp.to(email)
    assert len(alerts) == 1  # one mail per window, not one per attempt
    assert "fehlgeschlagene Anmeldeversuche" in text_of(alerts[0])
    assert "10.0.0" not in text_of(alerts[0])


def test_a_failing_address_waits_only_for_a_while(app, make_staff):
    email = make_staff()
    client = app.test_client()
    for number in range(6):
        login(client, email, f"falsch {number} xxxxxxxx")
    assert login(client, email).status_code == 400
    with app.app_context():  # time passes: the failures age beyond the wait
        for failure in db.session.scalars(db.select(LoginFailure)):
            failure.at -= timedelta(minutes=16)
        db.session.commit()
    assert login(client, email).status_code == 303


def test_password_is_stored_as_argon2id_and_rehashed_when_weaker(app, make_staff):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    email = make_staff(Role.VIEWER, email="alt@stadt.example")
    with app.app_context():
        staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        assert staff.password_hash.startswith("$argon2id$")
        staff.password_hash = weak
        db.session.commit()
    assert login(app.test_client(), email).status_code == 303
    stored = staff_row(app, email).password_hash
    assert stored.startswith("$argon2id$") and stored != weak


def test_inactive_account_cannot_log_in(client, make_staff):
    email = make_staff(active=False)
    assert login(client, email).status_code == 400


def test_empty_form_names_each_field(client):
    page = client.post("/admin/login", data={"csrf_token": csrf_token(client)})
    text = page.get_data(as_text=True)
    assert "Geben Sie Ihre E-Mail-Adresse ein" in text and "Geben Sie Ihr Passwort ein" in text
    assert "<title>Fehler:" in text


def test_session_cookie_holds_no_personal_data(app, make_staff):
    client = app.test_client()
    login(client, make_staff(email="person@stadt.example"))
    with app.test_request_context():
        serializer = app.session_interface.get_signing_serializer(app)
        data = serializer.loads(client.get_cookie("session").value)
    assert "person@stadt.example" not in str(data)
