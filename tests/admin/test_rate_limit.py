"""Per-address login throttling, also across several gunicorn workers (shared storage)."""

from __future__ import annotations

import socket

import pytest
import requests

from tests.admin.helpers import login
from tests.support import IN_CI, LiveServer


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "ADMIN_LOGIN_RATE_LIMIT": "5 per minute"}


def test_many_attempts_from_one_address_get_429(app, make_staff):
    make_staff()
    client = app.test_client()
    codes = [login(client, f"x{n}@stadt.example", "falsch falsch falsch").status_code
             for n in range(7)]
    assert codes[:5] == [400] * 5 and codes[-1] == 429
    assert "Zu viele Anfragen" in login(client, "y@stadt.example").get_data(as_text=True)


def redis_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_server(tmp_path):
    """gunicorn with 2 workers sharing a Redis rate-limit storage."""
    if not redis_available():
        if IN_CI:
            pytest.fail("Redis must run in CI (.ci/run starts it)")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    server = LiveServer({
        "CAMPAIGN_SECRET_KEY": "live-secret-key-that-is-long-enough-0123456789",
        "CAMPAIGN_DATABASE_URL": f"sqlite:///{tmp_path / 'limit.sqlite'}",
        "CAMPAIGN_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "CAMPAIGN_RATELIMIT_KEY_PREFIX": f"ato-test-{tmp_path.name}",
        "CAMPAIGN_ADMIN_LOGIN_RATE_LIMIT": "10 per minute",
    }).start()
    yield server
    server.stop()


def test_login_limit_holds_across_two_workers(redis_server):
    browser = requests.Session()
    page = browser.get(redis_server.url + "/admin/login", timeout=10).text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    codes = [browser.post(redis_server.url + "/admin/login", timeout=10,
                          data={"csrf_token": token, "email": f"x{n}@stadt.example",
                                "password": "falsch falsch falsch"}).status_code
             for n in range(13)]
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429] * 3
