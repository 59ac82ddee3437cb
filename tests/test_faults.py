"""Database faults: a clear answer, never a crash or a traceback."""

from __future__ import annotations

from campaign import create_app
from tests.conftest import base_config

UNREACHABLE = "postgresql://postgres@127.0.0.1:9/nowhere?connect_timeout=1"


def test_health_reports_unhealthy_when_the_database_is_down():
    app = create_app(base_config(UNREACHABLE, None))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unhealthy", "database": "unreachable"}


def test_public_pages_show_a_maintenance_notice_when_the_database_is_down():
    app = create_app({**base_config(UNREACHABLE, None), "TESTING": False,
                      "PUBLIC_URL": "http://127.0.0.1:5000", "TRUSTED_HOSTS": None})
    response = app.test_client().get("/")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Der Dienst ist gerade nicht erreichbar" in page and "Traceback" not in page
