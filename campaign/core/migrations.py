"""Flask-Migrate, loaded only where migrations may run: Alembic adds about 25 MB to every web
worker, which never runs one. On the command line (`flask db …`) it is there from the start;
elsewhere `flask_migrate.upgrade()` and the rest load it on first use."""

from __future__ import annotations

import click
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from campaign.core import resources


def init_app(app: Flask, db: SQLAlchemy) -> None:
    if click.get_current_context(silent=True) is not None:  # the flask command is loading us
        _load(app, db)
    else:
        app.extensions["migrate"] = _Deferred(app, db)


def _load(app: Flask, db: SQLAlchemy) -> None:
    from flask_migrate import Migrate

    Migrate(app, db, directory=resources.MIGRATIONS, render_as_batch=True)


class _Deferred:
    """Stands in for Flask-Migrate's config until something asks it for anything."""

    def __init__(self, app: Flask, db: SQLAlchemy):
        self.app, self.db = app, db

    def __getattr__(self, name: str):
        _load(self.app, self.db)  # replaces app.extensions["migrate"] with the real config
        return getattr(self.app.extensions["migrate"], name)
