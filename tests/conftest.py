"""Fixtures: app, client, runner, make_employer, smtp, live_server, browser.

Every database test runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from campaign import create_app
from campaign.core.text import casefold_email
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status
from tests.support import IN_CI, LiveServer, MailSink, backends, scratch_postgres_database

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def base_config(database_url: str, smtp_url: str | None) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PUBLIC_URL": "https://tueren.example.org",
        "SMTP_URL": smtp_url,
        "MIN_FILL_SECONDS": 0,
        "MAIL_SEND_IN_BACKGROUND": False,  # deterministic here; the live server sends in background
        "JOB_RUN_IN_BACKGROUND": False,  # jobs run right after the request that queued them
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def smtp():
    sink = MailSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture(scope="session", params=backends())
def migrated_database(request, tmp_path_factory):
    """A database migrated once per session; tests get a clean copy of it."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "template.sqlite"
        _migrate(f"sqlite:///{path}")
        yield ("sqlite", path)
    else:
        with scratch_postgres_database("unit") as url:
            _migrate(url)
            yield ("postgresql", url)


def _migrate(url: str) -> None:
    app = create_app(base_config(url, None))
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _fresh_url(migrated, tmp_path) -> str:
    kind, location = migrated
    if kind == "sqlite":
        target = tmp_path / "test.sqlite"
        shutil.copy(location, target)
        return f"sqlite:///{target}"
    return location


def _empty_postgres(app) -> None:
    with app.app_context():
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture
def app_config():
    """Override in a test module to change settings."""
    return {}


@pytest.fixture
def app(migrated_database, tmp_path, smtp, app_config):
    url = _fresh_url(migrated_database, tmp_path)
    application = create_app({**base_config(url, smtp.url),
                              "STICKER_BATCH_DIR": str(tmp_path / "sticker-batches"), **app_config})
    if migrated_database[0] == "postgresql":
        _empty_postgres(application)
    smtp.clear()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_employer(app):
    """Create an employer directly in the database (an app context is pushed per call)."""
    counter = iter(range(1, 100000))

    def make(status: Status = Status.PUBLISHED, **fields) -> Employer:
        number = next(counter)
        email = fields.pop("contact_email", f"kontakt{number}@firma{number}.de")
        values = dict(
            name=f"Betrieb {number}", slug=f"betrieb-{number}", status=status, sector="Handwerk",
            street="Hauptstraße 1", postal_code="44787", city="Bochum", district="Mitte",
            quarter="Südinnenstadt", lat=51.4781, lon=7.2190, offers=["ausbildung"],
            languages=["de"], drop_in={"opening_hours": False,
                                       "slots": [{"day": 0, "start": "09:00", "end": "16:00"}]},
        )
        values.update(fields)
        with app.app_context():
            employer = Employer(**values)
            employer.private = EmployerPrivate(
                contact_name="Erika Muster", contact_email=email,
                contact_email_key=casefold_email(email))
            db.session.add(employer)
            db.session.commit()
            db.session.refresh(employer)
            db.session.expunge(employer)
            return employer

    return make


def form_timer_for(app, seconds_ago: float = 60) -> str:
    """A signed form timer as if the form had been rendered seconds_ago."""
    from campaign.core import tokens

    with app.test_request_context():
        original = time.time
        try:
            time.time = lambda: original() - seconds_ago
            return tokens.form_timer()
        finally:
            time.time = original


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if IN_CI:
            pytest.fail("chromium is not installed; CI must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        new_context = instance.new_context

        def german_by_default(**options):
            # Public pages follow Accept-Language: a test browser speaks German unless a test
            # asks for another language (tests/public/test_languages_browser.py).
            options.setdefault("locale", "de-DE")
            return new_context(**options)

        instance.new_context = german_by_default
        yield instance
        instance.close()


def _live_server(backend: str, smtp, tmp_path_factory, **extra_env: str):
    env = {**extra_env,
        "CAMPAIGN_SECRET_KEY": TEST_SECRET,
        "CAMPAIGN_SMTP_URL": smtp.url,
        "CAMPAIGN_MIN_FILL_SECONDS": "1",
        "CAMPAIGN_SIGNUP_RATE_LIMIT": "1000 per hour",
        "CAMPAIGN_LINK_RATE_LIMIT": "1000 per hour",
        "CAMPAIGN_LINK_RATE_LIMIT_PER_ADDRESS": "1000 per hour",
        "CAMPAIGN_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png",
        "CAMPAIGN_STICKER_BATCH_DIR": str(tmp_path_factory.mktemp("sticker-batches")),
    }
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("live") / "live.sqlite"
        yield from _serve({**env, "CAMPAIGN_DATABASE_URL": f"sqlite:///{path}"}, "sqlite")
    else:
        with scratch_postgres_database("live") as url:
            yield from _serve({**env, "CAMPAIGN_DATABASE_URL": url}, "postgresql")


@pytest.fixture(scope="session", params=backends())
def live_server(request, smtp, tmp_path_factory):
    """gunicorn (2 workers) on a fresh database with a real SMTP server, shared by the session."""
    yield from _live_server(request.param, smtp, tmp_path_factory)


@pytest.fixture(scope="module", params=backends())
def own_live_server(request, smtp, tmp_path_factory):
    """Like live_server, but for one module alone: for tests that must know every entry."""
    yield from _live_server(request.param, smtp, tmp_path_factory)


def _serve(env: dict, backend: str):
    server = LiveServer(env).start()
    server.backend = backend
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(config, items):
    """Tests marked pages_only look at rendered pages and scripts, the same on every database:
    their PostgreSQL copies are deselected (journeys that write data still run on both)."""
    twins = [item for item in items if item.get_closest_marker("pages_only")
             and "postgresql" in getattr(getattr(item, "callspec", None), "params", {}).values()]
    if twins:
        config.hook.pytest_deselected(items=twins)
        items[:] = [item for item in items if item not in set(twins)]


if os.environ.get("CI") and not os.environ.get("TEST_DATABASE_URL"):
    raise pytest.UsageError("CI must set TEST_DATABASE_URL so the suite runs on PostgreSQL too")


def app_for(server: LiveServer):
    """An app bound to a live server's database, for arranging data directly."""
    return create_app({**base_config(server.env["CAMPAIGN_DATABASE_URL"], None),
                       "PUBLIC_URL": server.url})


@pytest.fixture(scope="session")
def live_app(live_server):
    return app_for(live_server)


@pytest.fixture(scope="module")
def own_live_app(own_live_server):
    return app_for(own_live_server)


@pytest.fixture(scope="session")
def geocoder_server():
    from tests.geocoder_server import GeocoderServer

    server = GeocoderServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()


@pytest.fixture
def geocoder(geocoder_server):
    """The loopback geocoder, reset for this test; use with app_config pointing at it."""
    geocoder_server.reset()
    yield geocoder_server
    geocoder_server.reset()
