"""The snapshot a public request is served from, noting when it is an older one (outage)."""

from __future__ import annotations

from flask import g

from campaign.public.snapshot import Snapshot, public_snapshot


def page_snapshot() -> Snapshot:
    """The public data for this page; from memory while the database is unreachable, and then
    the page says as of when ("Stand: …")."""
    snapshot, as_of = public_snapshot()
    if as_of is not None:
        g.public_data_as_of = as_of
    return snapshot
