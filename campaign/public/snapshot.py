"""Published entries as plain data, built once per public data version and kept per worker.

`audit.public_data_changed()` bumps a counter row in the same transaction as every public
change. Each request reads that one row (a primary-key lookup); only when the number differs
from the cached snapshot's is the snapshot rebuilt. So every gunicorn worker notices approve,
pause, withdraw or edits made by any other process, and the expensive work happens once per
change instead of once per request.

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
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from campaign.core import database
from campaign.core.text import fold
from campaign.entries import dropin
from campaign.extensions import db
from campaign.models import TEXT_KINDS, Employer, PublicDataVersion, Status, entry_fields

log = logging.getLogger(__name__)

# The only columns that ever leave the database for public output.
PUBLIC_COLUMNS = tuple(f.name for f in entry_fields(open_data=True))
_TEXT_COLUMNS = tuple(f.name for f in entry_fields(open_data=True) if f.kind in TEXT_KINDS)
_VERSION_SQL = "SELECT version FROM public_data_version WHERE id = 1"
_CHANGED_QUERY = select(PublicDataVersion.changed_at).where(PublicDataVersion.id == 1)
_ENTRY_QUERY = select(Employer.id, Employer.qr_code,
                      *(getattr(Employer, name) for name in PUBLIC_COLUMNS)).where(
    Employer.status == Status.PUBLISHED)


@dataclass
class Snapshot:
    version: int
    changed_at: datetime | None
    entries: tuple[dict, ...]  # public fields only, sorted by name
    haystacks: tuple[str, ...]  # folded search text, aligned with entries
    by_slug: dict[str, dict]
    codes: dict[str, tuple[int, str]]  # QR code -> (employer id, slug); never output
    files: dict = field(default_factory=dict)  # name -> opendata.Payload, built on first use
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Cache:
    def __init__(self):
        self.snapshot: Snapshot | None = None
        self.confirmed_at: datetime | None = None  # local time the snapshot was last current
        self.lock = threading.Lock()
        self.versions = _VersionReader()


def sort_key(name: str) -> str:
    """Name order that puts "Ärztehaus" next to "Arzt", the same in every worker."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_text(entry: dict) -> str:
    """Everything a search looks in, folded (core.text.fold): name, sector, occupations, text."""
    return fold(" ".join((entry["name"], entry["sector"], entry["occupations"],
                          entry["description"])))


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


def build(version: int) -> Snapshot:
    """Read the published entries. The version must be read before this, never after:
    a change committed in between then only causes one extra rebuild, never stale data."""
    changed_at = db.session.scalar(_CHANGED_QUERY)
    rows = db.session.execute(_ENTRY_QUERY).all()
    entries = sorted((_clean(dict(zip(PUBLIC_COLUMNS, row[2:], strict=True))) for row in rows),
                     key=lambda e: (sort_key(e["name"]), e["slug"]))
    return Snapshot(version=version, changed_at=changed_at, entries=tuple(entries),
                    haystacks=tuple(search_text(e) for e in entries),
                    by_slug={e["slug"]: e for e in entries},
                    codes={row.qr_code: (row.id, row.slug) for row in rows})


def _clean(entry: dict) -> dict:
    for key in _TEXT_COLUMNS:
        entry[key] = entry[key] or ""
    entry["offers"] = list(entry["offers"] or [])
    entry["languages"] = list(entry["languages"] or [])
    entry["drop_in"] = entry["drop_in"] or {}
    return entry


def _cache(app: Flask) -> _Cache:
    return app.extensions.setdefault("campaign_snapshot", _Cache())


def current_snapshot() -> Snapshot:
    """The snapshot for the database's current public data version."""
    version = read_version()
    cache = _cache(current_app)
    cache.confirmed_at = dropin.local_now()
    snapshot = cache.snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with cache.lock:  # one build per worker, even with threaded workers
        snapshot = cache.snapshot
        if snapshot is None or snapshot.version != version:
            started = time.perf_counter()
            snapshot = cache.snapshot = build(version)
            log.info("Public data version %d: %d entries in %.0f ms", version,
                     len(snapshot.entries), (time.perf_counter() - started) * 1000)
    return snapshot


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
    """A derived file (GeoJSON, CSV) of this snapshot, built once."""
    payload = snapshot.files.get(name)
    if payload is None:
        with snapshot.lock:
            payload = snapshot.files.get(name)
            if payload is None:
                payload = snapshot.files[name] = builder(snapshot)
    return payload
