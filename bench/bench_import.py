"""A 5,000-row wave import (the documented maximum): `python bench/bench_import.py`.

Fresh SQLite database, a loopback geocoder answering Nominatim JSON, SMTP unset (mails are
stamped sent). Prints how long the upload check takes (what the admin's request waits for),
how long the background job takes with the geocoder up, and with a geocoder that never
answers (each lookup times out; after the first, lookups rest for a minute). Figures only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = 5000


def csv_file(rows: int, tag: str) -> bytes:
    lines = ["name;contact_email;street;postal_code;quarter"]
    lines += [f"Betrieb {tag}{n};kontakt{n}@{tag}firma{n}.example;Alleestraße {n};44793;Kruppwerke"
              for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def make_app(folder: str, geocoder_url: str):
    from flask_migrate import upgrade

    from campaign import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "GEOCODER_URL": geocoder_url, "GEOCODER_TIMEOUT": 0.5,
                      "MAIL_SEND_IN_BACKGROUND": False, "JOB_RUN_IN_BACKGROUND": False})
    with app.app_context():
        upgrade()
    return app


def run(app, data: bytes, wave: str) -> tuple[float, float, int]:
    from campaign.core.city import current_city
    from campaign.entries import imports
    from campaign.extensions import db
    from campaign.jobs import runner

    with app.test_request_context():
        started = time.perf_counter()
        imports.queue_import(data, wave, current_city(), "system")
        db.session.commit()
        checked = time.perf_counter()
        runner.run_pending()
        finished = time.perf_counter()
    return checked - started, finished - checked, ROWS


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    from tests.geocoder_server import GeocoderServer

    server = GeocoderServer()
    server.thread.start()
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder, server.url + "/search")
        check, job, rows = run(app, csv_file(ROWS, "a"), "Welle A")
        print(f"geocoder up:   upload check {check:.2f} s, job {job:.1f} s "
              f"({job / rows * 1000:.1f} ms per row, {len(server.requests)} lookups)")
        server.requests.clear()
        server.delay = 5  # never answers within the timeout
        check, job, rows = run(app, csv_file(ROWS, "b"), "Welle B")
        print(f"geocoder down: upload check {check:.2f} s, job {job:.1f} s "
              f"({job / rows * 1000:.1f} ms per row, {len(server.requests)} lookups tried)")
    server.httpd.shutdown()


if __name__ == "__main__":
    main()
