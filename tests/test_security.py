"""Headers, request limits, CSRF, hosts, production settings and rate limits."""

from __future__ import annotations

import pytest

from campaign import create_app
from tests.conftest import TEST_SECRET, base_config, form_timer_for
from tests.signup_data import signup_form
from tests.test_selfservice import csrf_of


@pytest.mark.parametrize("path", ["/", "/mitmachen", "/gibt-es-nicht", "/healthz"])
def test_every_response_carries_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_mode_is_off_for_local_http(tmp_path):
    app = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None),
                      "PUBLIC_URL": "http://127.0.0.1:5000", "TESTING": False})
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers
    assert not app.config.get("SESSION_COOKIE_SECURE")


def test_405_page_is_german_and_has_headers(client):
    response = client.post("/datenschutz")
    assert response.status_code == 405
    assert "Diese Aktion ist so nicht möglich" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_404_page_is_friendly(client):
    response = client.get("/.git/config")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)


def test_large_body_is_refused_with_413(client):
    response = client.post("/mitmachen", data={"name": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "Die Eingabe ist zu groß" in response.get_data(as_text=True)


def test_too_many_form_parts_are_refused(client):
    data = {f"f{i}": "x" for i in range(1500)}
    response = client.post("/mitmachen", data=data, content_type="multipart/form-data")
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/?q=%00", "/mitmachen?x=%00", "/betrieb/%00"])
def test_nul_bytes_in_urls_give_400(client, path):
    assert client.get(path).status_code in (400, 404)
    assert client.get(path).status_code != 500


@pytest.mark.parametrize("path", ["/betrieb/%C0%A7", "/?q=%FF", "/t/%FF%FE"])
def test_malformed_encoding_is_not_a_server_error(client, path):
    assert client.get(path).status_code < 500


def test_signup_without_csrf_token_is_refused_and_nothing_stored(client, app):
    client.get("/mitmachen")
    data = signup_form(form_started=form_timer_for(app))
    response = client.post("/mitmachen", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Die Seite war lange geöffnet" in page
    assert 'value="Bäckerei Sonnenschein"' in page  # entries kept, fresh token issued
    from campaign.models import Employer
    from tests.test_signup import count
    assert count(app, Employer) == 0
    retry = signup_form(form_started=form_timer_for(app), csrf_token=csrf_of(page))
    assert client.post("/mitmachen", data=retry).status_code == 303


def test_foreign_host_header_is_refused(tmp_path):
    app = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None), "TESTING": False,
                      "PUBLIC_URL": "http://127.0.0.1:5000"})
    client = app.test_client()
    assert client.get("/impressum", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/impressum", headers={"Host": "127.0.0.1:5000"}).status_code == 200


@pytest.mark.parametrize("key", [None, "", "dev", "short"])
def test_production_refuses_weak_secret_key(tmp_path, key):
    config = {**base_config(f"sqlite:///{tmp_path}/x.sqlite", None), "TESTING": False,
              "PUBLIC_URL": "https://tueren.example.org", "SECRET_KEY": key}
    with pytest.raises(RuntimeError, match="CAMPAIGN_SECRET_KEY"):
        create_app(config)


def test_production_cookies_are_host_prefixed_and_secure(tmp_path):
    app = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None), "TESTING": False,
                      "PUBLIC_URL": "https://tueren.example.org", "SECRET_KEY": TEST_SECRET})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/mitmachen", base_url="https://tueren.example.org")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Domain" not in cookie


def test_rotated_secret_key_keeps_links_valid(tmp_path):
    from campaign.core import tokens

    old = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None)})
    with old.test_request_context():
        token = tokens.make(tokens.CONFIRM, {"e": 1})
    new_key = "a-brand-new-secret-key-0123456789abcdef"
    new = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None),
                      "SECRET_KEY": new_key, "SECRET_KEY_FALLBACKS": [TEST_SECRET]})
    with new.test_request_context():
        assert tokens.read(tokens.CONFIRM, token) == {"e": 1}


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "SIGNUP_RATE_LIMIT": "20 per hour",
                "LINK_RATE_LIMIT_PER_ADDRESS": "3 per 10 minutes"}

    def test_a_shared_office_ip_can_send_twenty_signups_then_429(self, client, app):
        from tests.test_signup import post_signup

        for number in range(20):
            response = post_signup(client, app, contact_email=f"person{number}@firma.de")
            assert response.status_code == 303, number
        response = post_signup(client, app, contact_email="one-more@firma.de")
        assert response.status_code == 429
        assert "Zu viele Anfragen" in response.get_data(as_text=True)

    def test_qr_scans_and_open_data_answer_without_rate_limit_work(self, client, app,
                                                                  make_employer):
        """They have no limit (core.hot_paths skips the limiter's bookkeeping); limited
        pages beside them still count and say so in their headers."""
        from tests.test_signup import post_signup

        entry = make_employer()
        limited = post_signup(client, app, contact_email="eine@firma.de")
        assert limited.headers["X-RateLimit-Limit"] == "20"
        assert limited.headers["X-RateLimit-Remaining"] == "19"
        for path in (f"/t/{entry.qr_code}", "/api/v1/employers.geojson"):
            response = client.get(path)
            assert response.status_code in (200, 302) and "X-RateLimit-Limit" not in response.headers
        again = post_signup(client, app, contact_email="zwei@firma.de")
        assert again.headers["X-RateLimit-Remaining"] == "18"

    def test_link_requests_are_limited_per_address(self, client):
        statuses = []
        for _ in range(5):
            page = client.get("/mein-eintrag").get_data(as_text=True)
            response = client.post("/mein-eintrag", data={"email": "Erika@Firma.de",
                                                          "csrf_token": csrf_of(page)})
            statuses.append(response.status_code)
        assert statuses == [200, 200, 200, 429, 429]
        page = client.get("/mein-eintrag").get_data(as_text=True)
        other = client.post("/mein-eintrag", data={"email": "someone@firma.de",
                                                   "csrf_token": csrf_of(page)})
        assert other.status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/employers.geojson", "/t/ABCDEFG"])
def test_public_data_and_qr_answers_carry_no_session(client, path):
    """No cookie and no `Vary: Cookie`: shared caches may keep these answers."""
    response = client.get(path)
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_werkzeug_level_errors_get_security_headers_too(tmp_path):
    app = create_app({**base_config(f"sqlite:///{tmp_path}/x.sqlite", None), "TESTING": False,
                      "PUBLIC_URL": "http://127.0.0.1:5000"})
    response = app.test_client().get("/healthz", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
