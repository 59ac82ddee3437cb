"""Migrations build the schema from nothing and match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from campaign import create_app
from campaign.extensions import db
from tests.conftest import base_config
from tests.support import backends, scratch_postgres_database


@pytest.fixture(params=backends())
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.sqlite"
    else:
        with scratch_postgres_database("migrations") as url:
            yield url


def test_upgrade_from_empty_matches_models_and_downgrades(empty_database_url):
    app = create_app(base_config(empty_database_url, None))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == [], f"models and migrations drifted: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert {"employer", "employer_private", "outbox_mail", "audit_entry", "staff_user"} <= tables
        downgrade(revision="-1")
        upgrade()
        assert "employer" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_constraints_are_named(empty_database_url):
    app = create_app(base_config(empty_database_url, None))
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        uniques = inspector.get_unique_constraints("employer_private")
        assert any(u["name"] == "uq_employer_private_contact_email_key" for u in uniques)
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_and_waits_for_writers_as_configured(tmp_path):
    app = create_app({**base_config(f"sqlite:///{tmp_path}/wal.sqlite", None),
                      "DB_STATEMENT_TIMEOUT": 7})
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA busy_timeout")).scalar() == 7000
