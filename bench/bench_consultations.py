"""Consultation points: time to build /beratung, /beratung.ics and the GeoJSON in-process.

`python bench/bench_consultations.py` creates 30 published points (BENCH_POINTS=200 for more),
three rules each and a few exception dates, in a fresh SQLite database and prints the median
milliseconds per request of each page over 20 requests through the test client. Figures only;
no assertions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POINTS = int(os.environ.get("BENCH_POINTS", "30"))
ROUNDS = 20


def rules(number: int) -> dict:
    return {"rules": [
        {"kind": "weekly", "weekday": number % 5, "start_date": "2026-01-05", "start": "09:00",
         "end": "12:00", "until": ""},
        {"kind": "biweekly", "weekday": (number + 1) % 5, "start_date": "2026-01-05",
         "start": "14:00", "end": "16:00", "until": ""},
        {"kind": "monthly", "weekday": (number + 2) % 5, "nth": -1, "start_date": "2026-01-01",
         "start": "10:00", "end": "11:30", "until": "2027-12-31"}],
        "exceptions": ["2026-12-24", "2026-12-31", "2027-04-05", "2027-05-17"]}


def main() -> None:
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.extensions import db
    from campaign.models import ConsultationPoint

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                          "SECRET_KEY": "bench-" * 8, "TESTING": True,
                          "PUBLIC_URL": "http://127.0.0.1"})
        with app.app_context():
            upgrade()
            quarters = list(app.extensions["campaign_city"].district_of.items())
            for number in range(POINTS):
                quarter, district = quarters[number % len(quarters)]
                db.session.add(ConsultationPoint(
                    slug=f"punkt-{number}", provider="Jobcenter", title=f"Sprechstunde {number}",
                    quarter=quarter, district=district, city="Bochum", published=True,
                    target_groups=["jugendliche"], languages=["de", "uk"], schedule=rules(number)))
            db.session.commit()
        client = app.test_client()
        print(f"{POINTS} points, 3 rules each, median of {ROUNDS} requests:")
        for path in ("/beratung", "/beratung.ics", "/api/v1/consultations.geojson",
                     "/beratung/punkt-7"):
            timings = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            print(f"  {path:34} {statistics.median(timings):7.1f} ms  "
                  f"({len(response.data) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
