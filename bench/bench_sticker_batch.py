"""A staff sticker batch of 2,951 entries (the case from issue 14): `python bench/bench_sticker_batch.py [N]`.

Fresh SQLite database with N published entries, a signed-in staff member. Prints how long the
POST that starts the batch takes (what the web worker spends: check, ids, queue; no rendering),
how long the background job takes per chunk and in all, the memory it needs (resident size
sampled while it runs) and the size of the download. Figures only.
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENTRIES = int(sys.argv[1]) if len(sys.argv) > 1 else 2951
PASSWORD = "korrekt pferd batterie heftklammer"  # noqa: S105 - a throwaway bench account


def make_app(folder: str):
    from flask_migrate import upgrade

    from campaign import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "STICKER_BATCH_DIR": f"{folder}/batches", "RATELIMIT_ENABLED": False,
                      "MAIL_SEND_IN_BACKGROUND": False, "JOB_RUN_IN_BACKGROUND": False})
    with app.app_context():
        upgrade()
    return app


def seed(app, count: int) -> None:
    from campaign.extensions import db
    from campaign.models import Employer, Role, StaffUser, Status
    from campaign.staff.passwords import hash_password

    rows = [dict(name=f"Bäckerei Größe {n}", slug=f"betrieb-{n}", status=Status.PUBLISHED,
                 sector="Handwerk", street="Hauptstraße 1", postal_code="44787", city="Bochum",
                 district="Mitte", quarter="Südinnenstadt", lat=51.4781, lon=7.2190,
                 offers=["ausbildung"], languages=["de"], drop_in={}) for n in range(count)]
    with app.app_context():
        db.session.execute(db.insert(Employer), rows)
        db.session.add(StaffUser(email="bench@stadt.example", password_hash=hash_password(PASSWORD),
                                 role=Role.VIEWER))
        db.session.commit()


def signed_in(app):
    client = app.test_client()
    client.post("/admin/login", data={"csrf_token": csrf_token(client, "/admin/login"),
                                      "email": "bench@stadt.example", "password": PASSWORD})
    return client, csrf_token(client, "/admin/passwort")  # the session's token after login


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def start(client, token: str) -> float:
    started = time.perf_counter()
    response = client.post("/admin/aufkleber/auftraege", data={
        "csrf_token": token, "status": "published", "format": "a6"})
    assert response.status_code == 303, response.status_code
    return time.perf_counter() - started


def rss_mb() -> float:
    """This process's resident memory now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_while(work) -> tuple[float, float]:
    """Run `work`; return its seconds and the highest resident memory seen meanwhile."""
    peak, stop = [rss_mb()], threading.Event()

    def sample():
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss_mb())

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    try:
        work()
    finally:
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
    return seconds, peak[0]


def main() -> None:
    import logging

    logging.disable(logging.WARNING)
    from campaign.extensions import db
    from campaign.jobs import runner
    from campaign.models import Job

    with tempfile.TemporaryDirectory() as folder:
        app = make_app(folder)
        seed(app, ENTRIES)
        client, token = signed_in(app)
        app.config["JOB_RUN_IN_BACKGROUND"] = True
        runner._background.acquire()  # queue only: the job is timed on its own below
        cold, warm = start(client, token), start(client, token)
        runner._background.release()
        with app.app_context():
            baseline = rss_mb()
            job_seconds, peak = peak_while(lambda: runner.run_pending(limit=1))
            job = db.session.scalars(db.select(Job).order_by(Job.id)).first()
            state, done, result, chunk = job.state, job.done, job.result, job.params["chunk"]
        size = sum(f.stat().st_size for f in Path(folder, "batches").glob("job-*/aufkleber-*.pdf"))
    chunks = -(-ENTRIES // chunk)
    print(f"{ENTRIES} entries, A6: the web request that starts the batch takes "
          f"{cold * 1000:.0f} ms (first of the process), {warm * 1000:.0f} ms (next)")
    print(f"job: {state}, {done} of {ENTRIES} stickers in {len(result['files'])} file(s), "
          f"{job_seconds:.1f} s ({job_seconds / chunks:.2f} s per chunk of {chunk}, "
          f"{job_seconds / ENTRIES * 1000:.1f} ms per sticker)")
    print(f"memory: {baseline:.0f} MB before the job, at most {peak:.0f} MB while it ran; "
          f"download {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
