"""Counting QR scans per employer per day: one counter row, nothing about the visitor."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from .dropin import local_now
from .extensions import db
from .models import ScanCount


def count_scan(employer_id: int, day: date | None = None) -> None:
    day = day or local_now().date()
    result = db.session.execute(
        update(ScanCount)
        .where(ScanCount.employer_id == employer_id, ScanCount.day == day)
        .values(count=ScanCount.count + 1)
    )
    if result.rowcount == 0:
        db.session.add(ScanCount(employer_id=employer_id, day=day, count=1))
