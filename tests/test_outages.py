"""Real outages against gunicorn (2 workers) on a PostgreSQL cluster of our own.

The cluster is frozen with SIGSTOP (a hung server: it accepts TCP connections and never
answers) and stopped (connection refused). Every response is counted and timed: no 500,
bounded time, public pages and QR redirects served from memory with "Stand: …", writes that
were accepted all present, QR scans written once the database is back.
"""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, ScanCount, Status
from tests.conftest import TEST_SECRET, app_for
from tests.signup_data import signup_form
from tests.support import Browserless, LiveServer, ThrowawayPostgres, wait_for_warm_workers

BOUND_SECONDS = 10  # generous: the defaults give about 6 s in the worst case
PUBLIC = ["/karte", "/betrieb/{slug}", "/api/v1/employers.geojson", "/api/v1/employers.csv",
          "/"]


@pytest.fixture(scope="module")
def cluster():
    pg = ThrowawayPostgres().init()
    yield pg
    pg.destroy()


def start_server(cluster, smtp, **env) -> LiveServer:
    server = LiveServer({
        "CAMPAIGN_SECRET_KEY": TEST_SECRET, "CAMPAIGN_SMTP_URL": smtp.url,
        "CAMPAIGN_DATABASE_URL": cluster.url, "CAMPAIGN_MIN_FILL_SECONDS": "1",
        "CAMPAIGN_SIGNUP_RATE_LIMIT": "1000 per hour",
        "CAMPAIGN_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png", **env})
    server.flask("db", "upgrade")
    return server


@pytest.fixture(scope="module")
def served(cluster, smtp):
    """Published entries in the database before the workers start (they warm the snapshot)."""
    server = start_server(cluster, smtp)
    app = app_for(server)
    with app.app_context():
        for number in range(3):
            db.session.add(Employer(slug=f"offen-{number}", name=f"Offene Tür {number}",
                                    status=Status.PUBLISHED, qr_code=f"QRTEST{number + 2}",
                                    street="Hauptstraße 1", postal_code="44787", city="Bochum",
                                    offers=["ausbildung"]))
        db.session.commit()
        db.session.remove()
    server.start()
    wait_for_warm_workers(server, cluster)
    server.app = app
    yield server
    cluster.thaw()
    server.stop()
    with app.app_context():
        db.engine.dispose()


def timed_get(url: str) -> tuple[int, float, str]:
    started = time.monotonic()
    request = urllib.request.Request(url)  # noqa: S310 - always http://127.0.0.1
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, time.monotonic() - started, body


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def scans_in_db(app) -> int:
    with app.app_context():
        total = db.session.scalar(select(func.coalesce(func.sum(ScanCount.count), 0)))
        db.session.remove()
    return total


def wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_scans_are_written_by_the_timer_without_further_requests(served):
    before = scans_in_db(served.app)
    for _ in range(6):
        assert timed_get(served.url + "/t/QRTEST2")[0] == 302
    # no request after the scans: only the per-worker timer (every 2 s) can write them
    assert wait_until(lambda: scans_in_db(served.app) == before + 6, timeout=8)


def test_a_frozen_database_is_bounded_and_public_pages_come_from_memory(served, cluster):
    client = Browserless(served.url)
    accepted = f"vorher-{os.getpid()}@firma.de"
    assert client.sign_up(signup_form(contact_email=accepted))[0] == 200
    scans_before = scans_in_db(served.app)
    cluster.freeze()
    try:
        paths = [p.format(slug="offen-1") for p in PUBLIC] * 2 + ["/t/QRTEST3"] * 10
        with ThreadPoolExecutor(max_workers=4) as pool:
            public = list(pool.map(lambda p: (p, *timed_get(served.url + p)), paths))
            health = pool.submit(timed_get, served.url + "/healthz")
            status, signup_page = client.sign_up(signup_form(contact_email="waehrend@firma.de"))
            health = health.result()
    finally:
        cluster.thaw()
    slowest = max(seconds for _, _, seconds, _ in public)
    print(f"\nfrozen database: {len(public)} public requests, slowest {slowest:.2f} s, "
          f"/healthz {health[1]:.2f} s")
    assert [(p, s) for p, s, _, _ in public if s >= 500] == []
    for path, code, seconds, body in public:
        assert seconds < BOUND_SECONDS, (path, seconds)
        assert code == (302 if path.startswith("/t/") else 200), (path, code)
        if path.startswith(("/karte", "/betrieb/")):
            assert "Stand:" in body, path
    assert health[0] == 503 and health[1] < BOUND_SECONDS
    assert status == 503 and "Ihre Eingabe wurde nicht gespeichert" in signup_page
    assert "bisher gespeicherten Angaben sind sicher" not in signup_page
    # back again: the accepted sign-up is there, the ten scans are written, pages are fresh
    assert wait_until(lambda: scans_in_db(served.app) == scans_before + 10, timeout=15)
    with served.app.app_context():
        keys = set(db.session.scalars(select(EmployerPrivate.contact_email_key)))
        db.session.remove()
    assert accepted in keys and "waehrend@firma.de" not in keys
    assert wait_until(lambda: timed_get(served.url + "/healthz")[0] == 200, timeout=15)
    assert wait_until(lambda: "Stand:" not in timed_get(served.url + "/karte")[2], timeout=15)


def test_a_stopped_database_answers_at_once_and_recovers(served, cluster):
    cluster.stop()
    try:
        results = [(p, *timed_get(served.url + p.format(slug="offen-2")))
                   for p in PUBLIC + ["/t/QRTEST4", "/healthz", "/mitmachen"]]
    finally:
        cluster.start()
    print("\nstopped database: slowest", f"{max(r[2] for r in results):.2f} s")
    codes = {path: code for path, code, _, _ in results}
    assert codes["/healthz"] == 503 and codes["/t/QRTEST4"] == 302
    assert all(code < 500 for path, code in codes.items() if path != "/healthz")
    assert all(seconds < BOUND_SECONDS for _, _, seconds, _ in results)
    assert wait_until(lambda: timed_get(served.url + "/healthz")[0] == 200, timeout=20)


def test_scans_held_at_a_graceful_stop_are_written_when_the_database_returns(cluster, smtp):
    """SIGTERM while the database is down: the exiting workers keep trying (up to two thirds
    of the graceful timeout) and write every scan once it is back; nothing is lost."""
    server = start_server(cluster, smtp)
    app = app_for(server)
    with app.app_context():
        db.session.add(Employer(slug="abschied", name="Abschied", status=Status.PUBLISHED,
                                qr_code="QRBYE22", offers=[]))
        db.session.commit()
        db.session.remove()
    server.start()
    wait_for_warm_workers(server, cluster)
    before = scans_in_db(app)
    try:
        cluster.stop()
        codes = [timed_get(server.url + "/t/QRBYE22")[0] for _ in range(8)]
        server.process.send_signal(signal.SIGTERM)
        time.sleep(3)
        cluster.start()
        server.process.wait(timeout=40)
    finally:
        if server.process.poll() is None:
            server.process.kill()
    assert codes == [302] * 8
    assert scans_in_db(app) == before + 8
    with app.app_context():
        db.engine.dispose()
