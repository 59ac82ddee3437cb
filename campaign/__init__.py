"""Alle Türen offen: the application factory reads like a table of contents."""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign import admin, cli, i18n, settings
from campaign.alerts import views as alerts
from campaign.consultations import views as consultations
from campaign.core import (
    city_assets,
    database,
    errors,
    hot_paths,
    mail,
    migrations,
    params,
    resources,
    security,
    templating,
    vendor,
)
from campaign.core.city import City
from campaign.core.sessions import CampaignSessionInterface
from campaign.embed import views as embed
from campaign.extensions import babel, csrf, db, limiter, login
from campaign.opendata import views as opendata
from campaign.public import views as public
from campaign.reports import views as reports
from campaign.selfservice import views as selfservice
from campaign.signup import views as signup
from campaign.staff import identity


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=resources.TEMPLATES, static_folder=resources.STATIC,
                static_url_path="/static", instance_relative_config=True)
    load_config(app, test_config)
    init_extensions(app)
    params.init_app(app)  # the <id:…> converter, before any route uses it
    register_blueprints(app)
    register_request_hooks(app)
    errors.init_app(app)
    identity.init_app(app)
    cli.init_app(app)
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
    city_assets.check_identity(app.config["CITY_FILE"], city.data)
    app.config["CITY"] = city.data
    app.extensions["campaign_city"] = city


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    database.init_app(app, db)
    migrations.init_app(app, db)
    csrf.init_app(app)
    login.init_app(app)
    i18n.init_app(app, babel)
    limiter.init_app(app)
    hot_paths.skip_rate_limits(app)


def register_blueprints(app: Flask) -> None:
    for blueprint in (public.bp, opendata.bp, reports.bp, vendor.bp, city_assets.bp, signup.bp,
                      selfservice.bp, consultations.bp, admin.bp, embed.bp, alerts.bp):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    app.session_interface = CampaignSessionInterface()
    app.before_request(security.reject_nul_bytes)
    app.wsgi_app = security.SecurityHeaders(app.wsgi_app, security.security_headers(app.config))
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    @app.before_request
    def declare_write_intent():
        g.write_intent = database.expect_writes(request.method not in database.SAFE_METHODS)

    @app.teardown_request
    def send_queued_mail(exc):
        if "write_intent" in g:
            database.forget_write_intent(g.pop("write_intent"))
        if exc is None and db.session.registry.has():
            db.session.close()  # the response is done: free the connection before mail work
            mail.send_after_request()
