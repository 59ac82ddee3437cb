"""Engine settings: SQLite pragmas and immediate write transactions, PostgreSQL pre-ping."""

import logging
from contextvars import ContextVar, Token

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


# Whether the current unit of work may write. The web layer says so per request (GET views
# read unless they call intend_to_write()); CLI work and background threads write.
_writes_expected: ContextVar[bool] = ContextVar("writes_expected", default=True)


def expect_writes(writes: bool) -> Token:
    return _writes_expected.set(writes)


def intend_to_write() -> None:
    """Call before the first query of a GET request that writes: on SQLite its transaction then
    starts with BEGIN IMMEDIATE, so it waits for other writers instead of failing."""
    _writes_expected.set(True)


def forget_write_intent(token: Token) -> None:
    _writes_expected.reset(token)


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
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected.get() else "BEGIN")


def init_app(app, db) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
