"""Alle Türen offen: the application factory reads like a table of contents."""

from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database, errors, mail, security, settings
from .city import City
from .extensions import babel, csrf, db, limiter, login, migrate
from .sessions import CampaignSessionInterface

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=True)
    load_config(app, test_config)
    init_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    errors.init_app(app)
    from . import admin, auth, cli, templating

    auth.init_app(app)
    cli.init_app(app)
    admin.init_app(app)
    templating.init_app(app)
    return app


def load_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_mapping(settings.DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CAMPAIGN")
    else:
        app.config.from_mapping(test_config)
    settings.finalise(app)
    city = City.load(app.config["CITY_FILE"])
    app.config["CITY"] = city.data
    app.extensions["campaign_city"] = city


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    database.init_app(app, db)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    login.init_app(app)
    babel.init_app(app, locale_selector=lambda: "de")
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from . import admin, api, public, registration, reports, selfservice, vendor

    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(vendor.bp)
    app.register_blueprint(registration.bp)
    app.register_blueprint(selfservice.bp)
    app.register_blueprint(admin.bp)


def register_request_hooks(app: Flask) -> None:
    app.session_interface = CampaignSessionInterface()
    app.before_request(security.reject_nul_bytes)
    app.wsgi_app = security.SecurityHeaders(app.wsgi_app, security.security_headers(app.config))
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    @app.teardown_request
    def send_queued_mail(_exc):
        if _exc is None:
            mail.send_after_request()
