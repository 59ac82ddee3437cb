"""Engine settings: SQLite pragmas and immediate write transactions, PostgreSQL pre-ping."""

import logging

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}}
    return {"pool_pre_ping": True, "pool_recycle": 1800}


def wants_write() -> bool:
    """Whether the current unit of work may write: non-GET requests, CLI work, and GET
    requests that said so with intend_to_write() before their first query."""
    if not has_request_context():
        return True
    return request.method not in SAFE_METHODS or g.get("intends_to_write", False)


def intend_to_write() -> None:
    """Call before the first query of a GET request that writes: on SQLite its transaction then
    starts with BEGIN IMMEDIATE, so it waits for other writers instead of failing."""
    g.intends_to_write = True


def configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout and BEGIN IMMEDIATE so concurrent writers wait instead of failing."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = cursor.fetchone()[0]
        if mode.lower() != "wal" and ":memory:" not in str(engine.url):
            log.warning("SQLite journal_mode is %r, not WAL: concurrent access will suffer", mode)
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write() else "BEGIN")


def init_app(app, db) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
