"""One change and the public files, in one process: `python bench/bench_public_files.py`.

Seeds 10,000, then 50,000 published employers (BENCH_SIZES) into a fresh SQLite database, reads
the public data and builds the map data, the GeoJSON and the CSV from scratch (what a worker
does at start), then makes changes through the staff operations (pause, resume, a rename that
moves an entry to the front of the name order, an edit of a description) and prints for each
the work the worker logs: the patch and each file built again (only the chunks the change
touched, public.chunks). Goals of issue 14: at most ~100 ms of work per change at 10,000, and
the GeoJSON current within 1 s at 50,000 (here: patch + GeoJSON, without the version check
interval a real worker adds). No gunicorn, no HTTP: bench_scale.py measures those.
"""

from __future__ import annotations

import logging
import os
import re
import shutil

from harness import migrated_app, seed, verdict

SIZES = sorted(int(n) for n in os.environ.get("BENCH_SIZES", "10000,50000").split(","))
WORK = re.compile(r"Public data version \d+: (.*?) (?:built|patched|read) in ([\d.]+) ms")
FILES = ("map", "geojson", "csv")


class Work(logging.Handler):
    """Collects the "… built in … ms" lines public.snapshot logs, from any thread."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = WORK.search(record.getMessage())
        if found:
            self.lines.append((found[1], float(found[2])))

    def taken(self) -> dict[str, float]:
        lines, self.lines = self.lines, []
        return {("patch" if "changed entries" in what else "read" if "entries" in what
                 else what): ms for what, ms in lines}


def build_every_file(app) -> None:
    from campaign.opendata.files import csv_payload, geojson_payload
    from campaign.public.map_data import map_file
    from campaign.public.snapshot import current_snapshot

    with app.app_context():
        snapshot = current_snapshot()  # patched here when the version moved
        for build in (map_file, geojson_payload, csv_payload):
            build(snapshot)


def changes(app, count: int):
    """(label, function making the change) for an entry in the middle of the name order."""
    from campaign.core import audit
    from campaign.entries import decisions
    from campaign.extensions import db
    from campaign.models import Employer

    with app.app_context():
        entry_id = db.session.scalars(db.select(Employer.id).order_by(Employer.name)
                                      .offset(count // 2).limit(1)).one()

    def change(label: str, make):
        def run():
            with app.app_context():
                make(db.session.get(Employer, entry_id))
                db.session.commit()
        return label, run

    def edited(**fields):
        def make(employer):
            for name, value in fields.items():
                setattr(employer, name, value)
            audit.public_data_changed(employer.id)  # noted like decisions.edit notes it
        return make

    return [change("pause", lambda e: decisions.pause(e, audit.SYSTEM)),
            change("resume", lambda e: decisions.resume(e, audit.SYSTEM)),
            change("rename", edited(name="Aaa zuerst im Alphabet")),
            change("edit", edited(description="Neu beschrieben, mit anderem Text."))]


def measure(count: int, work: Work) -> None:
    folder, _env, app = migrated_app("bench-files-")
    try:
        seed(app, count)
        build_every_file(app)
        full = work.taken()
        print(f"{count:,} entries: read in {full.get('read', 0):.0f} ms; built from scratch: "
              + ", ".join(f"{name} {full.get(name, 0):.0f} ms" for name in FILES), flush=True)
        for label, make_change in changes(app, count):
            make_change()
            build_every_file(app)
            taken = work.taken()
            total = sum(taken.values())
            visible = taken.get("patch", 0) + taken.get("geojson", 0)
            goal = (f"≤ 100 ms: {verdict(total <= 100)}" if count <= 10_000
                    else f"GeoJSON current after {visible:.0f} ms, ≤ 1 s: {verdict(visible <= 1000)}")
            print(f"  {label:7} patch {taken.get('patch', 0):5.1f} ms, "
                  + ", ".join(f"{name} {taken.get(name, 0):5.1f} ms" for name in FILES)
                  + f" = {total:5.0f} ms of work ({goal})", flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    work = Work()
    logger = logging.getLogger("campaign.public.snapshot")
    logger.setLevel(logging.INFO)
    logger.addHandler(work)
    logger.propagate = False  # printed here as figures, not once more by the app's handler
    for count in SIZES:
        measure(count, work)


if __name__ == "__main__":
    main()
