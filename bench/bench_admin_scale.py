"""The staff panel at 10,000 and 50,000 entries: `python bench/bench_admin_scale.py`.

Seeds a fresh SQLite database with direct bulk inserts (entries with contact data, waves,
sticker states, mixed states, sign-up records), timed, then prints for 10,000 and 50,000
entries: the CSV export of all entries in-process (seconds, SQL queries, peak Python memory
by tracemalloc) and through gunicorn with its default 30 s worker timeout (status, seconds),
the dashboard (median of several requests, ms) and the entries list and review queue (median,
ms). The issue's goals are printed next to the figures. Figures only; no assertions.

BENCH_DATABASE_URL=postgresql://… runs the same on an empty PostgreSQL database instead (its
tables are dropped at the end).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import statistics
import sys
import time
import tracemalloc
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import gunicorn, insert_employers, migrated_app, migrated_app_on  # noqa: E402

EMAIL, PASSWORD = "admin@stadt.example", "ein langer guter satz fuer den bench"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
REPEAT = 7
STICKERS = ("none", "requested", "printed", "handed_over", "on_door")
# (share of entries as every n-th id, status) applied over the published entries
STATUS_MIX = ((7, "pending"), (11, "paused"), (13, "invited"), (17, "unconfirmed"))


def seed(app, count: int, start: int) -> None:
    started = time.perf_counter()
    insert_employers(app, count, start=start)
    with app.app_context():
        add_private_rows()
        add_activity(start)
        analyze(app)
    print(f"Seeded {count:,} entries with contact data, sign-ups, publications, scans and "
          f"reports in "
          f"{time.perf_counter() - started:.1f} s")


def analyze(app) -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk load: planner statistics and the
    visibility map that index-only scans need. SQLite keeps no statistics unless asked."""
    from campaign.extensions import db

    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(db.text("VACUUM ANALYZE"))


def add_private_rows() -> None:
    from sqlalchemy import insert, select, update

    from campaign.extensions import db
    from campaign.models import Employer, EmployerPrivate, Wave, utcnow

    waves = db.session.scalars(select(Wave.id)).all()
    if not waves:
        db.session.execute(insert(Wave), [{"name": f"Welle {n + 1}"} for n in range(10)])
        waves = db.session.scalars(select(Wave.id)).all()
    ids = db.session.scalars(select(Employer.id).outerjoin(Employer.private)
                             .where(EmployerPrivate.id.is_(None))).all()
    now = utcnow()
    db.session.execute(insert(EmployerPrivate), [dict(
        employer_id=i, contact_name=f"Erika Muster {i}", contact_email=f"kontakt{i}@firma.de",
        contact_email_key=f"kontakt{i}@firma.de", contact_phone="0234 12345",
        internal_notes="Rückruf =vereinbart" if i % 9 == 0 else "",
        sticker_status=STICKERS[i % 5], wave_id=waves[i % len(waves)] if i % 3 else None,
        consent_confirmed_at=now - timedelta(hours=i % 2000),
        pending_changes={"description": "Neu"} if i % 23 == 0 else {},
        reconfirm_stage=1 if i % 50 == 0 else 0) for i in ids])
    for every, status in STATUS_MIX:
        db.session.execute(update(Employer).where(Employer.id.in_(ids), Employer.id % every == 0)
                           .values(status=status))
    db.session.commit()


def add_activity(start: int) -> None:
    """A sign-up record per entry and a publication time per published entry over the last 16
    weeks; QR scans on five days for every tenth entry; an open report for every 500th."""
    from sqlalchemy import bindparam, insert, select, update

    from campaign.extensions import db
    from campaign.models import AuditEntry, Employer, ProblemReport, ScanCount, utcnow

    now, minutes = utcnow(), 16 * 7 * 24 * 60
    ids = db.session.scalars(select(Employer.id).where(Employer.id > start)).all()
    db.session.execute(insert(AuditEntry), [dict(
        actor="employer", action="registered", employer_id=i, details={},
        at=now - timedelta(minutes=(i * 37) % minutes)) for i in ids])
    published = set(db.session.scalars(select(Employer.id).where(
        Employer.id > start, Employer.status == "published")))
    table = Employer.__table__  # a plain executemany (the ORM's wants each row's version)
    db.session.execute(
        update(table).where(table.c.id == bindparam("row_id"))
        .values(created_at=bindparam("created"), published_at=bindparam("published")),
        [dict(row_id=i, created=(stamp := now - timedelta(minutes=(i * 37) % minutes)),
              published=stamp + timedelta(days=2) if i in published else None) for i in ids])
    db.session.execute(update(Employer).where(Employer.id > start, Employer.status == "paused",
                                              Employer.id % 2 == 0).values(paused_by="system"))
    db.session.execute(insert(ScanCount), [dict(
        employer_id=i, day=(now - timedelta(days=d * 9 + i % 7)).date(), count=1 + i % 4)
        for i in ids if i % 10 == 0 for d in range(5)])
    db.session.execute(insert(ProblemReport), [dict(employer_id=i, kind="closed", message="")
                                              for i in ids if i % 500 == 0])
    db.session.commit()


def add_staff(app) -> None:
    from campaign.extensions import db
    from campaign.models import Role, StaffUser
    from campaign.staff.passwords import hash_password

    with app.app_context():
        db.session.add(StaffUser(email=EMAIL, password_hash=hash_password(PASSWORD),
                                 role=Role.ADMIN))
        db.session.commit()


def signed_in_client(app):
    client = app.test_client()
    token = TOKEN.search(client.get("/admin/login").get_data(as_text=True)).group(1)
    response = client.post("/admin/login", data={"csrf_token": token, "email": EMAIL,
                                                 "password": PASSWORD})
    assert response.status_code == 303, response.status_code
    return client


def csrf(client) -> str:
    return TOKEN.search(client.get("/admin/passwort").get_data(as_text=True)).group(1)


class QueryCounter:
    def __init__(self, app):
        from campaign.extensions import db

        with app.app_context():
            self.engine = db.engine
        self.count = 0

    def __enter__(self):
        from sqlalchemy import event

        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *args):
        self.count += 1


def read_export(client, token: str) -> tuple[int, int]:
    """Download the export of all entries chunk by chunk; (bytes, lines)."""
    response = client.post("/admin/export.csv", data={"csrf_token": token}, buffered=False)
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return size, lines


def export_figures(app, client, count: int) -> None:
    token = csrf(client)
    with QueryCounter(app) as queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        size, lines = read_export(client, token)
        took, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    tracemalloc.start()
    read_export(client, token)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  export of all {count:,} entries: {took:5.2f} s, CPU {cpu:.2f} s (goal: a few seconds), "
          f"{queries.count} SQL queries (fixed), {lines - 1:,} rows, {size / 1e6:.1f} MB; "
          f"peak Python memory {peak / 1e6:.1f} MB (tracemalloc)")


def median_ms(client, path: str) -> tuple[float, float, int]:
    """Median wall time and median CPU time of this process (on SQLite the database work
    too, so on a busy machine the CPU time is the steadier figure), and the status."""
    client.get(path)  # warm-up
    times, cpu, status = [], [], 0
    for _ in range(REPEAT):
        started, started_cpu = time.perf_counter(), time.process_time()
        status = client.get(path).status_code
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu), status


def page_figures(client) -> None:
    for label, path, goal in (
            ("dashboard", "/admin/", "goal ≤ 50 ms"),
            ("entries list, newest first", "/admin/eintraege", ""),
            ("entries list, by name", "/admin/eintraege?sort=name&order=asc", ""),
            ("entries list, stickers needed", "/admin/eintraege?sticker=needed", ""),
            ("entries list, page 200", "/admin/eintraege?page=200", ""),
            ("review queue", "/admin/pruefen", ""),
            ("invitations (waves)", "/admin/wellen", ""),
            ("audit log", "/admin/protokoll", "")):
        ms, cpu, status = median_ms(client, path)
        print(f"  {label:30} {ms:6.1f} ms median of {REPEAT}, CPU {cpu:5.1f} ms (HTTP {status})"
              + (f"  ({goal})" if goal else ""))


def http_export(base: str) -> None:
    """The export through gunicorn with its default 30 s worker timeout, as staff get it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def token_of(path: str) -> str:
        return TOKEN.search(opener.open(base + path, timeout=60).read().decode()).group(1)

    def post(path: str, data: dict):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(base + path, data=body)  # noqa: S310 (loopback)
        return opener.open(request, timeout=120)

    post("/admin/login", {"csrf_token": token_of("/admin/login"), "email": EMAIL,
                          "password": PASSWORD}).read()
    token = token_of("/admin/passwort")
    started = time.perf_counter()
    try:
        response = post("/admin/export.csv", {"csrf_token": token})
        first = time.perf_counter() - started
        size = sum(len(chunk) for chunk in iter(lambda: response.read(65536), b""))
        print(f"  export through gunicorn (worker timeout 30 s): HTTP {response.status}, "
              f"first byte after {first:.2f} s, {size / 1e6:.1f} MB in "
              f"{time.perf_counter() - started:.2f} s (goal: never a timeout)")
    except OSError as problem:
        print(f"  export through gunicorn FAILED after {time.perf_counter() - started:.1f} s: "
              f"{problem}")


def measure(app, base: str, count: int) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"With {count:,} entries (load average {load} on {os.cpu_count()} cores):")
    client = signed_in_client(app)
    page_figures(client)
    export_figures(app, client, count)
    http_export(base)
    ms, cpu, _status = median_ms(client, "/admin/")
    print(f"  dashboard again, after the exports {ms:6.1f} ms median of {REPEAT}, CPU {cpu:5.1f} ms")


def postgresql_app(url: str):
    env, app = migrated_app_on(url)
    return None, env, app


def drop_tables(app) -> None:
    from campaign.extensions import db

    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    folder, env, app = postgresql_app(url) if url else migrated_app("bench-admin-")
    print(f"Database: {'PostgreSQL' if url else 'SQLite'}")
    add_staff(app)
    seed(app, 10_000, start=0)
    server = gunicorn("wsgi:app", env, workers=1, extra=["--timeout", "30"])
    try:
        measure(app, server.url, 10_000)
        seed(app, 40_000, start=10_000)
        measure(app, server.url, 50_000)
    finally:
        server.stop()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            drop_tables(app)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
