"""QR codes: find the entry behind a code and count scans per employer per day.

One counter row per employer and day; nothing about the visitor (no IP, no cookie).
Each worker adds scans up in memory; a timer thread writes them every SCAN_FLUSH_SECONDS
(default 2; 0 when testing = at once, in the request) with one atomic upsert per employer and
day. So a QR redirect needs no database write of its own and works while the database is down.
A failed write keeps the counts for the next tick. When the worker exits (campaign.core.gunicorn_config) it
keeps trying for up to two thirds of gunicorn's graceful timeout. The README states the bound:
a worker killed hard loses at most the last interval's counts (all counts since the outage
began, if the database is down); a graceful stop loses nothing unless the database stays down
for the whole retry window, and then the log says how many scans were lost.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date
from typing import NamedTuple

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from campaign.core import database
from campaign.entries import dropin
from campaign.extensions import db
from campaign.models import QR_ALPHABET, Employer, ScanCount

log = logging.getLogger(__name__)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_CODE_CHARS = frozenset(QR_ALPHABET)


class CodeTarget(NamedTuple):
    id: int
    slug: str
    status: str
    lat: float | None
    lon: float | None
    quarter: str


def normalise_code(code: str) -> str | None:
    """Upper-case a typed or scanned code; None if it cannot be one of ours."""
    code = code.strip().upper()
    if not 4 <= len(code) <= 16 or not set(code) <= _CODE_CHARS:
        return None
    return code


def find_code(code: str) -> CodeTarget | None:
    normalised = normalise_code(code)
    if normalised is None:
        return None
    columns = (Employer.id, Employer.slug, Employer.status, Employer.lat, Employer.lon,
               Employer.quarter)
    row = db.session.execute(select(*columns).where(Employer.qr_code == normalised)).first()
    return CodeTarget(*row) if row else None


def _upsert(rows: list[dict]) -> None:
    """Add scans in one atomic upsert per row, so concurrent workers never lose a count."""
    insert = _INSERTS[db.session.get_bind().dialect.name]
    statement = insert(ScanCount)
    statement = statement.on_conflict_do_update(
        index_elements=[ScanCount.employer_id, ScanCount.day],
        set_={"count": ScanCount.count + statement.excluded["count"]},
    )
    db.session.execute(statement, rows)


def count_scan(employer_id: int, day: date | None = None, scans: int = 1) -> None:
    day = day or dropin.local_now().date()
    _upsert([{"employer_id": employer_id, "day": day, "count": scans}])


class _Pending:
    def __init__(self):
        self.counts: Counter = Counter()
        self.lock = threading.Lock()
        self.timer: threading.Thread | None = None
        self.stop = threading.Event()

    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())

    def start_timer(self, app: Flask, seconds: float) -> None:
        """One flushing thread per worker process, started by the first scan."""
        with self.lock:
            if self.timer is not None and self.timer.is_alive():
                return
            self.timer = threading.Thread(target=self._run, args=(app, seconds),
                                          name="scan-flush", daemon=True)
            self.timer.start()

    def _run(self, app: Flask, seconds: float) -> None:
        while not self.stop.wait(seconds):
            if self.total():
                with app.app_context():
                    flush()
                    db.session.remove()


def _pending(app: Flask) -> _Pending:
    return app.extensions.setdefault("campaign_scans", _Pending())


def flush_interval(app: Flask) -> float:
    return float(app.config.get("SCAN_FLUSH_SECONDS", 0 if app.testing else 2))


def record_scan(employer_id: int) -> None:
    """Count one scan now, in memory; the timer thread writes it within the flush interval."""
    app = current_app._get_current_object()
    pending = _pending(app)
    with pending.lock:
        pending.counts[(employer_id, dropin.local_now().date())] += 1
    seconds = flush_interval(app)
    if seconds <= 0:
        flush()
    else:
        pending.start_timer(app, seconds)


def flush() -> int:
    """Write the pending counts in their own transaction; keep them if the write fails."""
    pending = _pending(current_app)
    with pending.lock:
        counts, pending.counts = pending.counts, Counter()
    if not counts:
        return 0
    try:
        db.session.commit()  # end any read first: SQLite upgrades a fresh transaction cleanly
        _upsert([{"employer_id": employer_id, "day": day, "count": scans}
                 for (employer_id, day), scans in counts.items()])
        db.session.commit()
    except Exception as error:
        database.rollback_quietly(db.session)
        with pending.lock:
            pending.counts.update(counts)
        log.warning("Could not write %d scan counts; will retry (%s)", sum(counts.values()),
                    database.describe(error))
        return 0
    return sum(counts.values())


def flush_app(app: Flask, within: float = 0) -> int:
    """Write what a worker still holds before it exits (gunicorn worker_exit hook), trying
    again for up to `within` seconds while the database is unreachable. Returns the number of
    scans that could not be written (and are lost with the process)."""
    pending = getattr(app, "extensions", {}).get("campaign_scans")
    if pending is None:
        return 0
    pending.stop.set()
    deadline = time.monotonic() + within
    with app.app_context():
        while True:
            flush()
            left = pending.total()
            if not left or time.monotonic() >= deadline:
                break
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        db.session.remove()
    if left:
        log.error("Worker exits with %d QR scans it could not write: they are lost", left)
    return left


def scans_on(employer_id: int, day: date) -> int:
    return db.session.scalar(
        select(ScanCount.count).where(ScanCount.employer_id == employer_id, ScanCount.day == day)
    ) or 0
