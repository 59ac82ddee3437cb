"""Sign-up throughput and latency through gunicorn, on SQLite and PostgreSQL.

Prints POSTs per second and p50/p99 latency for 1 and 16 concurrent clients, then checks that
N concurrent sign-ups left exactly N entries and N mails in the outbox (nothing lost, no
"database is locked"). PostgreSQL is measured when a server answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import http.cookiejar
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.signup_data import signup_form  # noqa: E402
from tests.support import (  # noqa: E402
    Browserless,
    LiveServer,
    MailSink,
    hidden_inputs,
    scratch_postgres_database,
)

SECONDS_PER_RUN = float(os.environ.get("BENCH_SECONDS", "8"))
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client_session(base_url: str):
    client = Browserless(base_url)
    client.opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    _, page = client.get("/mitmachen")
    return client, hidden_inputs(page)


def post_once(client, hidden: dict, email: str) -> tuple[float, int]:
    body = urllib.parse.urlencode({**signup_form(contact_email=email), **hidden}, doseq=True)
    started = time.perf_counter()
    try:
        with client.opener.open(client.base_url + "/mitmachen", data=body.encode(), timeout=60) as r:
            status = r.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.perf_counter() - started, status


def run_load(base_url: str, clients: int, label: str) -> dict:
    latencies: list[float] = []
    failures = 0
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def worker(number: int) -> None:
        nonlocal failures
        client, hidden = client_session(base_url)
        deadline = time.perf_counter() + SECONDS_PER_RUN
        sent = 0
        while time.perf_counter() < deadline:
            seconds, status = post_once(client, hidden, f"{label}-{number}-{sent}@last.de")
            sent += 1
            with lock:
                latencies.append(seconds)
                failures += status != 303
                statuses[status] = statuses.get(status, 0) + 1

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = SECONDS_PER_RUN
    ordered = sorted(latencies)
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000, "n": len(latencies),
            "failures": failures, "statuses": statuses}


def check_nothing_lost(base_url: str, database_url: str, total: int = 100) -> tuple[int, int]:
    from campaign import create_app
    from campaign.extensions import db
    from campaign.models import EmployerPrivate, OutboxMail

    def one(number: int) -> int:
        client, hidden = client_session(base_url)
        return post_once(client, hidden, f"exact-{number}@zaehlen.de")[1]

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(total)))
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        key = EmployerPrivate.contact_email_key.like("exact-%")
        entries = db.session.scalar(db.select(db.func.count()).select_from(EmployerPrivate).where(key))
        mails = db.session.scalar(db.select(db.func.count()).select_from(OutboxMail)
                                  .where(OutboxMail.recipient.like("exact-%")))
        db.engine.dispose()
    return entries, mails


def bench_backend(name: str, database_url: str, smtp: MailSink) -> None:
    server = LiveServer({
        "CAMPAIGN_DATABASE_URL": database_url, "CAMPAIGN_SECRET_KEY": "b" * 40,
        "CAMPAIGN_SMTP_URL": smtp.url, "CAMPAIGN_MIN_FILL_SECONDS": "0",
        "CAMPAIGN_SIGNUP_RATE_LIMIT": "1000000 per hour",
    }, workers=4).start()
    try:
        for clients in (1, 16):
            figures = run_load(server.url, clients, f"{name}{clients}")
            print(f"{name:10} {clients:3} clients: {figures['rps']:7.1f} sign-ups/s  "
                  f"p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  "
                  f"({figures['n']} POSTs, {figures['failures']} not 303: {figures['statuses']})")
        entries, mails = check_nothing_lost(server.url, database_url)
        verdict = "OK" if entries == mails == 100 else "LOST DATA"
        print(f"{name:10} 100 concurrent sign-ups -> {entries} entries, {mails} queued mails: {verdict}")
    finally:
        server.stop()


def postgres_available() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
        return True
    except OSError:
        return False


def main() -> None:
    smtp = MailSink()
    smtp.controller.start()
    print(f"gunicorn, 4 sync workers, {SECONDS_PER_RUN:.0f} s per run, real SMTP sink on loopback")
    try:
        with tempfile.TemporaryDirectory() as folder:
            bench_backend("sqlite", f"sqlite:///{folder}/bench.sqlite", smtp)
        if postgres_available():
            os.environ.setdefault("TEST_DATABASE_URL", PG_URL)
            with scratch_postgres_database("bench") as url:
                bench_backend("postgresql", url, smtp)
        else:
            print("postgresql: no server on 127.0.0.1:5432, skipped")
    finally:
        smtp.controller.stop()


if __name__ == "__main__":
    main()
