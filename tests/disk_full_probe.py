"""Run inside a private mount namespace on a tiny tmpfs (see test_disk_full.py): migrate a
SQLite database there, fill the file system, then sign up and ask /healthz. Prints JSON."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from pathlib import Path

from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db
from tests.conftest import base_config, form_timer_for
from tests.signup_data import signup_form


def main(folder: str) -> None:
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logging.getLogger("campaign").addHandler(handler)
    app = create_app({**base_config(f"sqlite:///{folder}/full.sqlite", None),
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    client = app.test_client()
    healthy = client.get("/healthz").get_json()
    ballast = os.open(Path(folder) / "ballast", os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk to the last byte
        for size in (65536, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(ballast, b"\0" * size)
    finally:
        os.close(ballast)
    response = client.post("/mitmachen", data=signup_form(form_started=form_timer_for(app)))
    health = client.get("/healthz")
    print(json.dumps({"before": healthy, "signup_status": response.status_code,
                      "signup_page": response.get_data(as_text=True),
                      "health_status": health.status_code, "health": health.get_json(),
                      "log": records}))


if __name__ == "__main__":
    main(sys.argv[1])
