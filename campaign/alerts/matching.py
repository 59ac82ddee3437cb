"""Which published entries match a saved filter, and since when they are public."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from campaign.alerts.feed import FeedEntry
from campaign.entries import dropin
from campaign.extensions import db
from campaign.models import Employer, Status, utcnow
from campaign.public import search
from campaign.public.views import filter_labels


def now() -> datetime:
    return utcnow()


def public_dates() -> dict[str, tuple[datetime, datetime]]:
    """slug -> (published, updated) of every published entry, in one query."""
    rows = db.session.execute(select(Employer.slug, Employer.published_at, Employer.updated_at)
                              .where(Employer.status == Status.PUBLISHED))
    return {slug: (published or updated, max(updated, published or updated))
            for slug, published, updated in rows}


def feed_entries(snapshot, filters: search.Filters,
                 published_after: datetime | None = None) -> list[FeedEntry]:
    """Matching published entries (optionally only those published after a moment)."""
    dates = public_dates()
    found = [FeedEntry(result.entry, *dates[result.entry["slug"]])
             for result in search.run(snapshot, filters, dropin.local_now())
             if result.entry["slug"] in dates]
    if published_after is not None:
        found = [item for item in found if item.published > published_after]
    return found


def describe(filters: search.Filters) -> str:
    """": Ausbildung, Wattenscheid" for the chosen filters, "" without any."""
    labels = [label for label, _rest in filter_labels(filters)]
    return ": " + ", ".join(labels) if labels else ""
