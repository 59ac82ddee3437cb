"""QR codes: find the entry behind a code and count scans per employer per day.

One counter row per employer and day; nothing about the visitor (no IP, no cookie).
Each worker adds scans up in memory and writes them every SCAN_FLUSH_SECONDS (default 2;
0 when testing = at once) with one atomic upsert per employer and day, and when the worker
exits (campaign.core.gunicorn_config). So a QR redirect needs no database write of its own;
a worker killed hard loses at most those seconds of counts, never a redirect.
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
        self.flushed_at = time.monotonic()


def _pending(app: Flask) -> _Pending:
    return app.extensions.setdefault("campaign_scans", _Pending())


def record_scan(employer_id: int) -> None:
    """Count one scan now (in memory) and write the pending counts when they are due."""
    pending = _pending(current_app)
    with pending.lock:
        pending.counts[(employer_id, dropin.local_now().date())] += 1
    seconds = current_app.config.get("SCAN_FLUSH_SECONDS", 0 if current_app.testing else 2)
    if time.monotonic() - pending.flushed_at >= float(seconds):
        flush()


def flush() -> int:
    """Write the pending counts in their own transaction; keep them if the write fails."""
    pending = _pending(current_app)
    with pending.lock:
        counts, pending.counts = pending.counts, Counter()
        pending.flushed_at = time.monotonic()
    if not counts:
        return 0
    try:
        db.session.commit()  # end any read first: SQLite upgrades a fresh transaction cleanly
        _upsert([{"employer_id": employer_id, "day": day, "count": scans}
                 for (employer_id, day), scans in counts.items()])
        db.session.commit()
    except Exception:
        db.session.rollback()
        with pending.lock:
            pending.counts.update(counts)
        log.warning("Could not write %d scan counts; will retry", sum(counts.values()))
        return 0
    return sum(counts.values())


def flush_app(app: Flask) -> None:
    """Write what a worker still holds (gunicorn worker_exit hook)."""
    if "campaign_scans" in getattr(app, "extensions", {}):
        with app.app_context():
            flush()


def scans_on(employer_id: int, day: date) -> int:
    return db.session.scalar(
        select(ScanCount.count).where(ScanCount.employer_id == employer_id, ScanCount.day == day)
    ) or 0
