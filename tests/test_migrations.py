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


def test_paused_entries_get_who_paused_them_from_the_audit_log(empty_database_url):
    from datetime import datetime

    from sqlalchemy import text

    app = create_app(base_config(empty_database_url, None))
    with app.app_context():
        upgrade(revision="b7e21f0c4d10")
        now = datetime(2026, 11, 30, 12, 0)
        actors = {1: "employer", 2: "staff:7", 3: "system", 4: None}
        for employer_id, actor in actors.items():
            db.session.execute(text(
                "INSERT INTO employer (id, slug, qr_code, status, name, sticker_name, sector,"
                " description, street, postal_code, city, district, quarter, offers, occupations,"
                " languages, drop_in, ask_for, step_free, website, public_phone, public_email,"
                " is_subsidiary, is_demo, created_at, updated_at, version) VALUES (:id, :slug,"
                " :slug, 'paused', 'B', '', '', '', '', '', '', '', '', '[]', '', '[]', '{}', '',"
                " false, '', '', '', false, false, :now, :now, 1)"),
                {"id": employer_id, "slug": f"b{employer_id}", "now": now})
            if actor:
                db.session.execute(text(
                    "INSERT INTO audit_entry (at, actor, action, employer_id, details)"
                    " VALUES (:at, :actor, 'status:paused', :id, '{}')"),
                    {"at": now, "actor": actor, "id": employer_id})
        db.session.commit()
        upgrade()
        paused_by = dict(db.session.execute(text("SELECT id, paused_by FROM employer")).all())
        assert paused_by == {1: "employer", 2: "staff", 3: "system", 4: "staff"}
        db.session.remove()
        db.engine.dispose()
