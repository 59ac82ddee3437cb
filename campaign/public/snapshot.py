"""The published entries as a compact in-memory snapshot per public data version, kept per worker.

`audit.public_data_changed(id…)` bumps a counter row and notes the changed entries in the same
transaction as every public change. A worker reads that one row (a primary-key lookup) at most
every PUBLIC_VERSION_CHECK_SECONDS (a quarter of a second); when the number differs from the snapshot's, the worker reads only the noted entries and
patches them into a new snapshot (public.entry_store) — a few milliseconds, so every worker
shows a change made by any other process at its next request. Only when the notes do not
say what changed (a bulk load, or a worker left far behind) is everything read again; a worker
that already has a snapshot then does that in a background thread and keeps answering from the
old one meanwhile (waiting at most BUILD_WAIT_SECONDS, so small databases never look stale).

While the database is unreachable, `public_snapshot()` answers with the last snapshot this
worker holds and the moment it was last known to be current, so the map, the employer pages,
the open data and the QR redirects keep working through an outage (read-only, marked with
"Stand: …"). After a failure the database is left alone for DB_RETRY_SECONDS, so these pages
answer at once instead of waiting for a timeout on every request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from campaign.core import database
from campaign.entries import dropin
from campaign.extensions import db
from campaign.models import Employer, PublicDataChange, PublicDataVersion, Status
from campaign.public import entry_store
from campaign.public.entry_store import PUBLIC_COLUMNS, Snapshot

log = logging.getLogger(__name__)

MAX_PATCH = 500  # more changed entries than this at once: reading everything is quicker
_VERSION_SQL = "SELECT version FROM public_data_version WHERE id = 1"
_CHANGED_QUERY = select(PublicDataVersion.changed_at).where(PublicDataVersion.id == 1)
_ENTRY_QUERY = select(Employer.id, Employer.qr_code,
                      *(getattr(Employer, name) for name in PUBLIC_COLUMNS)).where(
    Employer.status == Status.PUBLISHED)


class _Cache:
    def __init__(self):
        self.snapshot: Snapshot | None = None
        self.confirmed_at: datetime | None = None  # local time the snapshot was last current
        self.lock = threading.Lock()
        self.versions = _VersionReader()
        self.builder: threading.Thread | None = None  # a full read in the background
        self.trusted_until = 0.0  # time.monotonic() until which the version is not read again


class _VersionReader:
    """Reads the version on a connection of its own per thread: detached from the pool and in
    autocommit, so the check on every map and API request is one indexed read, nothing more."""

    def __init__(self):
        self.local = threading.local()

    def read(self, engine, answer_within: float) -> int:
        dbapi = engine.dialect.loaded_dbapi
        for attempt in (1, 2):  # a dropped connection (database restart) gets one fresh retry
            try:
                cursor = self._connection(engine, answer_within).cursor()
                cursor.execute(_VERSION_SQL)
                row = cursor.fetchone()
                cursor.close()
                return row[0] if row else 0
            except dbapi.Error as exc:
                self._forget()
                if attempt == 2 or database.is_no_answer(exc):  # a hung server: do not wait twice
                    raise OperationalError(_VERSION_SQL, None, exc) from exc
        return 0

    def _connection(self, engine, answer_within: float):
        if getattr(self.local, "connection", None) is None:
            connection = engine.raw_connection()
            connection.detach()
            if engine.dialect.name == "postgresql":
                connection.dbapi_connection.autocommit = True
                connection.dbapi_connection.answer_within = answer_within  # a key lookup
            self.local.connection = connection
        return self.local.connection

    def _forget(self) -> None:
        connection, self.local.connection = getattr(self.local, "connection", None), None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing left to release
                log.debug("closing a broken version connection failed", exc_info=True)


def read_version() -> int:
    """The public data version; see _VersionReader."""
    return _cache(current_app).versions.read(db.engine,
                                             float(current_app.config["DB_CONNECT_TIMEOUT"]))


def _cache(app: Flask) -> _Cache:
    return app.extensions.setdefault("campaign_snapshot", _Cache())


def _rows(query) -> Iterator[tuple[int, str, dict]]:
    """(id, QR code, public fields), fetched a thousand rows at a time."""
    for row in db.session.execute(query.execution_options(yield_per=1000)):
        yield row[0], row[1], dict(zip(PUBLIC_COLUMNS, row[2:], strict=True))


def read_all(version: int) -> Snapshot:
    """Every published entry. The version must be read before this, never after: a change
    committed in between then only causes one extra patch, never stale data."""
    started = time.perf_counter()
    with database.reading_only():
        snapshot = entry_store.build(version, db.session.scalar(_CHANGED_QUERY),
                                     _rows(_ENTRY_QUERY))
    log.info("Public data version %d: %d entries read in %.0f ms", version, len(snapshot),
             (time.perf_counter() - started) * 1000)
    return snapshot


def changed_ids(since: int, until: int) -> set[int] | None:
    """The entries changed after version `since` up to `until`, or None when the notes do not
    say (a change of everything, notes already dropped, or a database that was reset)."""
    notes = db.session.execute(
        select(PublicDataChange.version, PublicDataChange.employer_id)
        .where(PublicDataChange.version > since, PublicDataChange.version <= until)).all()
    ids = {employer_id for _version, employer_id in notes}
    if len({version for version, _id in notes}) != until - since or None in ids \
            or len(ids) > MAX_PATCH:
        return None
    return ids


def read_changes(old: Snapshot, version: int) -> Snapshot | None:
    """`old` patched up to `version`, or None when everything has to be read again."""
    started = time.perf_counter()
    with database.reading_only():
        ids = changed_ids(old.version, version)
        if ids is None:
            return None
        rows = _rows(_ENTRY_QUERY.where(Employer.id.in_(ids))) if ids else []
        snapshot = entry_store.patched(old, version, db.session.scalar(_CHANGED_QUERY), ids,
                                       rows)
    log.info("Public data version %d: %d changed entries patched in %.1f ms", version, len(ids),
             (time.perf_counter() - started) * 1000)
    return snapshot


def _read_all_in_background(app: Flask, cache: _Cache, version: int) -> threading.Thread:
    def work() -> None:
        with app.app_context():
            try:
                fresh = read_all(version)
                with cache.lock:
                    cache.snapshot = fresh.follows(cache.snapshot) if cache.snapshot else fresh
            except Exception:  # the next request notices the version again and retries
                log.warning("Reading the public data failed", exc_info=True)
            finally:
                db.session.remove()

    with cache.lock:
        if cache.builder is None or not cache.builder.is_alive():
            cache.builder = threading.Thread(target=work, name="public-data", daemon=True)
            cache.builder.start()
        return cache.builder


def current_snapshot() -> Snapshot:
    """The snapshot for the database's current public data version, read at most every
    PUBLIC_VERSION_CHECK_SECONDS (or, while everything is read again in the background, the
    previous one for up to PUBLIC_BUILD_WAIT_SECONDS)."""
    app = current_app._get_current_object()
    cache = _cache(app)
    snapshot = cache.snapshot
    if snapshot is not None and time.monotonic() < cache.trusted_until:
        return snapshot
    version = read_version()
    cache.confirmed_at = dropin.local_now()
    cache.trusted_until = time.monotonic() + database.trust_seconds(app)
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with cache.lock:  # one read per worker, even with threaded workers
        snapshot = cache.snapshot
        if snapshot is None:
            snapshot = cache.snapshot = read_all(version)
        elif snapshot.version != version:
            snapshot = read_changes(snapshot, version)
            if snapshot is not None:
                cache.snapshot = snapshot
    if snapshot is None:
        _read_all_in_background(app, cache, version).join(
            None if app.testing else float(app.config["PUBLIC_BUILD_WAIT_SECONDS"]))
    return cache.snapshot


def public_snapshot() -> tuple[Snapshot, datetime | None]:
    """(snapshot, None) when it is current; (the last snapshot, when it was last current) while
    the database cannot be reached. Raises only when there is no snapshot at all yet."""
    app = current_app._get_current_object()
    cache, outage = _cache(app), database.outage(app)
    if cache.snapshot is not None and outage.skip_database():
        return cache.snapshot, cache.confirmed_at
    try:
        snapshot = current_snapshot()
    except OperationalError as error:
        outage.failed()
        if cache.snapshot is None:
            raise
        database.rollback_quietly(db.session)
        log.warning("Database unreachable, serving public data as of %s: %s",
                    cache.confirmed_at, database.describe(error))
        return cache.snapshot, cache.confirmed_at
    outage.recovered()
    return snapshot, None


def cached_file(snapshot: Snapshot, name: str, builder):
    """A derived file (GeoJSON, CSV, map data) of this snapshot, built once. After a change the
    file of the version before is served until the new one is ready (building waits at most
    PUBLIC_BUILD_WAIT_SECONDS); only the very first one is built while the visitor waits."""
    payload = snapshot.files.get(name)
    if payload is not None:
        return payload
    previous = snapshot.previous_files.get(name)
    if previous is None:
        with snapshot.lock:
            return _build_file(snapshot, name, builder)
    app = current_app._get_current_object()
    worker = threading.Thread(target=_build_file_in_context, args=(app, snapshot, name, builder),
                              name=f"public-file-{name}", daemon=True)
    with snapshot.lock:
        started = snapshot.building.setdefault(name, worker)
    if started is worker:
        worker.start()
    started.join(None if app.testing else float(app.config["PUBLIC_BUILD_WAIT_SECONDS"]))
    return snapshot.files.get(name) or previous


def _build_file(snapshot: Snapshot, name: str, builder):
    payload = snapshot.files.get(name)
    if payload is None:
        started = time.perf_counter()
        payload = snapshot.files[name] = builder(snapshot)
        snapshot.previous_files.pop(name, None)
        log.info("Public data version %d: %s built in %.0f ms", snapshot.version, name,
                 (time.perf_counter() - started) * 1000)
    return payload


def _build_file_in_context(app: Flask, snapshot: Snapshot, name: str, builder) -> None:
    with app.app_context():
        try:
            _build_file(snapshot, name, builder)
        except Exception:  # the previous file is served; the next request tries again
            log.warning("Building %s failed", name, exc_info=True)
            snapshot.building.pop(name, None)
