"""Engine settings: bounded waits (connect, statement, pool), SQLite pragmas and immediate write
transactions, a short ping before a pooled PostgreSQL connection is used, and what a failed
write means (disk full or unreachable)."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar, Token

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NO_ANSWER = "the database did not answer"
# What a database says when it cannot write any more (SQLite; PostgreSQL and the OS).
_DISK_FULL_TEXTS = ("database or disk is full", "no space left on device", "could not extend file",
                    "could not write to file", "disk full")
_DISK_FULL_SQLSTATE = "53100"
_NEARLY_FULL = 1024 * 1024  # bytes free below which an SQLite I/O error means "disk full"


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str, connect_timeout: float, statement_timeout: float) -> dict:
    """Every wait for the database ends: connecting, waiting for a pooled connection, a
    statement (also a lock wait), and on SQLite the wait for another writer."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": statement_timeout}}
    return {
        "pool_recycle": 1800,
        "pool_timeout": connect_timeout,
        "connect_args": {
            "connect_timeout": max(1, round(connect_timeout)),
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
        },
    }


@functools.cache
def bounded_connection_class():
    """A psycopg connection that gives up when the server does not answer at all.

    statement_timeout is enforced by the server, so a frozen server (SIGSTOP, a hung VM, a
    dead network path that still accepts packets) never sends it: the client would wait
    forever. This connection stops waiting a second after the server-side limit should have
    fired, closes itself (its state is unknown) and raises OperationalError, which SQLAlchemy
    treats as a disconnect.
    """
    import psycopg

    class BoundedConnection(psycopg.Connection):
        answer_within: float | None = None

        def wait(self, gen, interval=0.1, timeout=None):
            limit = timeout if timeout is not None else self.answer_within
            try:
                return super().wait(gen, interval=interval, timeout=limit)
            except psycopg.OperationalError as error:
                if timeout is None and limit is not None and _is_wait_timeout(error):
                    self.pgconn.finish()
                    raise psycopg.OperationalError(
                        f"{NO_ANSWER} within {limit:g} s") from error
                raise

    return BoundedConnection


def _is_wait_timeout(error: Exception) -> bool:
    return type(error).__name__ == "_WaitTimeout"


def configure_postgresql(engine: Engine, connect_timeout: float, statement_timeout: float) -> None:
    connection_class = bounded_connection_class()

    @event.listens_for(engine, "do_connect")
    def connect(dialect, record, cargs, cparams):
        connection = connection_class.connect(*cargs, **cparams)
        connection.answer_within = statement_timeout + 1
        record.info["just_connected"] = True  # no ping needed before its first use
        return connection

    @event.listens_for(engine, "checkout")
    def ping(dbapi_connection, record, proxy):
        """Like pool_pre_ping, but a ping may take only connect_timeout, not a statement's."""
        if record.info.pop("just_connected", False):
            return
        try:
            ping_connection(dbapi_connection, connect_timeout)
        except dialect_error(engine) as error:
            raise DisconnectionError(str(error)) from error


def dialect_error(engine: Engine):
    return engine.dialect.loaded_dbapi.Error


def ping_connection(connection, seconds: float) -> None:
    """One round trip outside any transaction, answered within `seconds` or the connection
    is closed (see BoundedConnection)."""
    limit, connection.answer_within = connection.answer_within, seconds
    before = connection.autocommit
    try:
        connection.autocommit = True
        connection.execute("SELECT 1")
    finally:
        connection.answer_within = limit
        if not connection.closed:
            connection.autocommit = before


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


@contextmanager
def reading_only():
    """Work that only reads (the public data, also at worker start and in background
    threads): on SQLite a plain BEGIN, which never waits for or blocks a writer."""
    token = _writes_expected.set(False)
    try:
        yield
    finally:
        _writes_expected.reset(token)


def configure_sqlite(engine: Engine, busy_seconds: float) -> None:
    """WAL, busy timeout and BEGIN IMMEDIATE so concurrent writers wait instead of failing."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = cursor.fetchone()[0]
        if mode.lower() != "wal" and ":memory:" not in str(engine.url):
            log.warning("SQLite journal_mode is %r, not WAL: concurrent access will suffer", mode)
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected.get() else "BEGIN")


def is_disk_full(error: BaseException, url: str | None = None) -> bool:
    """The database refused a write because its disk is full. PostgreSQL says so (SQLSTATE
    53100, "No space left on device"); SQLite says "database or disk is full", or only
    "disk I/O error" when the WAL cannot grow, so then the free space of its folder decides."""
    original = getattr(error, "orig", None) or error
    if getattr(original, "sqlstate", None) == _DISK_FULL_SQLSTATE:
        return True
    text = str(original).lower()
    if any(marker in text for marker in _DISK_FULL_TEXTS):
        return True
    return "disk i/o error" in text and url is not None and _sqlite_folder_is_full(url)


def _sqlite_folder_is_full(url: str) -> bool:
    path = make_url(url).database
    if not url.startswith("sqlite") or not path or path == ":memory:":
        return False
    try:
        return shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < _NEARLY_FULL
    except OSError:
        return False


def is_no_answer(error: BaseException) -> bool:
    """A connection gave up waiting (BoundedConnection) or could not connect in time."""
    original = getattr(error, "orig", None) or error
    text = str(original)
    return NO_ANSWER in text or "timeout expired" in text


def is_busy(error: BaseException) -> bool:
    """SQLite waited busy_timeout for another writer in vain: the database itself is there."""
    return "database is locked" in str(getattr(error, "orig", None) or error)


def trust_seconds(app) -> float:
    """How long a worker answers from public data it has read (the data version, the
    consultation points) before it asks the database again: PUBLIC_VERSION_CHECK_SECONDS, 0
    when testing."""
    return 0.0 if app.testing else float(app.config["PUBLIC_VERSION_CHECK_SECONDS"])


def rollback_quietly(session) -> None:
    try:
        session.rollback()
    except Exception:  # the connection is gone; the session is discarded at teardown
        log.debug("rollback after a database failure failed", exc_info=True)


def describe(error: DBAPIError | BaseException) -> str:
    """One log line's worth: the driver's error class and its first message line."""
    original = getattr(error, "orig", None) or error
    first_line = (str(original).strip().splitlines() or [""])[0][:300]
    return f"{type(original).__name__}: {first_line}"


class Outage:
    """When this worker last found the database unreachable.

    For `retry_seconds` after a failure, public pages answer from the in-memory snapshot
    without waiting for the database again; then one request tries the database again.
    """

    def __init__(self, retry_seconds: float):
        self.retry_seconds = retry_seconds
        self.failed_at: float | None = None
        self.lock = threading.Lock()

    def failed(self) -> None:
        with self.lock:
            self.failed_at = time.monotonic()

    def recovered(self) -> None:
        self.failed_at = None

    def skip_database(self) -> bool:
        """True while a recent failure says not to wait for the database again yet."""
        failed_at = self.failed_at
        return failed_at is not None and time.monotonic() - failed_at < self.retry_seconds


def outage(app) -> Outage:
    return app.extensions["campaign_outage"]


def init_app(app, db) -> None:
    config = app.config
    app.extensions["campaign_outage"] = Outage(float(config["DB_RETRY_SECONDS"]))
    with app.app_context():
        engine = db.engine
        connect, statement = (float(config["DB_CONNECT_TIMEOUT"]),
                              float(config["DB_STATEMENT_TIMEOUT"]))
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine, statement)
        elif engine.dialect.name == "postgresql":
            configure_postgresql(engine, connect, statement)
