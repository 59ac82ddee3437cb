"""/healthz's check: can the database answer and write, within HEALTH_TIMEOUT seconds?

It uses an engine of its own (no pool, short timeouts), so a hung database or an exhausted
pool never makes the health check hang as well. The write is real and committed: one row is
rewritten, which needs free space for the table and the WAL, so a full disk fails the check
instead of hiding behind successful reads.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app
from sqlalchemy import create_engine, insert, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from campaign.core import database
from campaign.models import HealthProbe, utcnow

log = logging.getLogger(__name__)


def _engine(app: Flask):
    engine = app.extensions.get("campaign_health_engine")
    if engine is None:
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        seconds = float(app.config["HEALTH_TIMEOUT"])
        engine = create_engine(url, poolclass=NullPool,
                               connect_args=database.engine_options(
                                   url, seconds, seconds)["connect_args"])
        if engine.dialect.name == "sqlite":
            database.configure_sqlite(engine, seconds)
        else:
            database.configure_postgresql(engine, seconds, seconds)
        app.extensions["campaign_health_engine"] = engine
    return engine


def _write_probe(connection) -> None:
    result = connection.execute(update(HealthProbe).where(HealthProbe.id == 1)
                                .values(checked_at=utcnow()))
    if result.rowcount == 0:
        try:
            connection.execute(insert(HealthProbe).values(id=1, checked_at=utcnow()))
        except IntegrityError:  # another worker wrote it first: writing works
            connection.rollback()
            return
    connection.commit()


def check() -> dict[str, str]:
    """{"status": "ok"|"unhealthy", "database": "ok"|"unreachable"|"disk_full"|"read_only"}."""
    token = database.expect_writes(True)
    try:
        with _engine(current_app).connect() as connection:
            _write_probe(connection)
    except OperationalError as error:
        url = current_app.config["SQLALCHEMY_DATABASE_URI"]
        state = "disk_full" if database.is_disk_full(error, url) else (
            "read_only" if "read-only" in str(error.orig).lower() else "unreachable")
        log.error("Health check: database %s (%s)", state, database.describe(error))
        return {"status": "unhealthy", "database": state}
    except Exception as error:  # any other database failure is unhealthy too
        log.error("Health check failed: %s", database.describe(error))
        return {"status": "unhealthy", "database": "unreachable"}
    finally:
        database.forget_write_intent(token)
    database.outage(current_app).recovered()
    return {"status": "ok", "database": "ok"}
