"""Public map, QR redirect and open data under load: `python bench/bench_public.py`.

Inserts 10,000 published employers into a fresh SQLite database, serves the app and a bare
Flask "hello" view with gunicorn (2 sync workers each) on loopback, loads them with wrk
(32 connections) and prints requests per second, ratios and p99. Then opens /karte in headless
Chromium with tiles blocked (time to clustered markers and the first list page, filter change)
and, with 50,000 employers, the longest main-thread task. Figures only; no assertions.
"""

from __future__ import annotations

import gzip
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DURATION = os.environ.get("BENCH_SECONDS", "8")
hello = Flask("hello")


@hello.get("/")
def hello_view():
    return "Hallo"


def insert_employers(app, count: int, start: int = 0) -> list[str]:
    """Fast direct inserts of published entries spread over the real quarters."""
    from sqlalchemy import insert

    from campaign.core import audit
    from campaign.core.text import slugify
    from campaign.entries.demo import KINDS, NAMES
    from campaign.extensions import db
    from campaign.models import Employer, new_qr_code

    rng = random.Random(start)
    city = app.extensions["campaign_city"]
    quarters = list(city.quarter_centres.items())
    rows, codes = [], []
    for number in range(start, start + count):
        kind, sector, description = rng.choice(KINDS)
        quarter, (lat, lon) = rng.choice(quarters)
        code = new_qr_code() + f"{number:06d}"[-3:].translate(str.maketrans("01", "XY"))
        codes.append(code)
        rows.append(dict(
            slug=slugify(name := f"Beispiel: {kind} {rng.choice(NAMES)} {number}"), qr_code=code,
            status="published", name=name, sector=sector,
            description=description, street=f"Hauptstraße {number % 120 + 1}", postal_code="44787",
            city="Bochum", district=city.district_of[quarter], quarter=quarter,
            lat=round(lat + rng.uniform(-0.01, 0.01), 6), lon=round(lon + rng.uniform(-0.015, 0.015), 6),
            offers=rng.sample(["ausbildung", "praktikum", "einstieg", "ferienjob"], 2),
            languages=["de", rng.choice(["tr", "ar", "uk", "pl", "en"])], occupations="",
            drop_in={"opening_hours": False, "slots": [{"day": d, "start": "09:00", "end": "16:00"}
                                                         for d in range(rng.randint(1, 5))]},
            ask_for="das Team am Empfang", step_free=rng.random() < 0.5))
    with app.app_context():
        db.session.execute(insert(Employer), rows)
        audit.public_data_changed()
        db.session.commit()
    return codes


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    return urllib.request.urlopen(request, timeout=60)  # noqa: S310 (loopback only)


def gunicorn(target: str, port: int, env: dict, extra=()) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *extra, target], cwd=ROOT, env={**os.environ, **env})
    for _ in range(300):
        try:
            get(f"http://127.0.0.1:{port}/healthz" if "wsgi" in target
                else f"http://127.0.0.1:{port}/")
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


def wrk(url: str, headers=(), script: str | None = None) -> dict:
    command = ["wrk", "-t2", "-c32", f"-d{DURATION}s", "--latency", url]
    for header in headers:
        command[1:1] = ["-H", header]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?): (\d+)", out))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p99_ms": float(p99.group(1)) * scale,
            "errors": errors + (sum(map(int, socket.groups())) if socket else 0)}


def qr_script(codes: list[str], folder: str) -> str:
    path = Path(folder) / "qr.lua"
    listed = ",".join(f'"{c}"' for c in codes[:2000])
    path.write_text(f"codes = {{{listed}}}\nrequest = function()\n"
                    "  return wrk.format('GET', '/t/' .. codes[math.random(#codes)])\nend\n")
    return str(path)


def load_figures(base: str, hello_url: str, codes: list[str], folder: str) -> None:
    head = get(base + "/api/v1/employers.geojson", {"Accept-Encoding": "gzip"})
    etag, body = head.headers["ETag"], head.read()
    print(f"GeoJSON: 10,000 features, {len(body) / 1024:.0f} KB gzipped "
          f"({len(gzip.decompress(body)) / 1024:.0f} KB plain)")
    results = {
        "bare Flask hello": wrk(hello_url),
        "/t/<code> (lookup, count, 302)": wrk(base + "/", script=qr_script(codes, folder)),
        "GeoJSON gzip": wrk(base + "/api/v1/employers.geojson", ["Accept-Encoding: gzip"]),
        "GeoJSON 304": wrk(base + "/api/v1/employers.geojson",
                           ["Accept-Encoding: gzip", f"If-None-Match: {etag}"]),
    }
    reference = results["bare Flask hello"]["rps"]
    print(f"{'endpoint':34} {'req/s':>8} {'ratio':>7} {'p99 ms':>8} {'errors':>7}")
    for name, figures in results.items():
        print(f"{name:34} {figures['rps']:8.0f} {figures['rps'] / reference:7.0%} "
              f"{figures['p99_ms']:8.1f} {figures['errors']:7d}")


LONGTASKS = """window.__longest = 0; new PerformanceObserver(list => list.getEntries().forEach(
  e => { window.__longest = Math.max(window.__longest, e.duration); }))
  .observe({type: 'longtask', buffered: true});"""


def browser_figures(base: str, label: str, filter_change: bool = True) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route("http://127.0.0.1:9/**", lambda route: route.abort())
        page.add_init_script(LONGTASKS)
        started = time.perf_counter()
        page.goto(base + "/karte", wait_until="commit")
        page.wait_for_selector(".card")
        first_list = time.perf_counter() - started
        page.wait_for_selector("[data-map][data-state=ready]", timeout=60000)
        page.wait_for_selector(".cluster")
        ready = time.perf_counter() - started
        print(f"/karte {label}: first list page {first_list * 1000:.0f} ms, clustered markers "
              f"{ready * 1000:.0f} ms after navigation; longest main-thread task "
              f"{page.evaluate('window.__longest'):.0f} ms")
        if filter_change:
            took = page.evaluate("""() => new Promise(resolve => {
                const t0 = performance.now();
                document.addEventListener('map:ready', () => resolve(performance.now() - t0), {once: true});
                document.querySelector('#offers-4').click(); })""")  # one tap on "Ferienjob"
            print(f"/karte {label}: filter change updates list and map in {took:.0f} ms "
                  f"({page.get_attribute('[data-map]', 'data-marker-count')} markers)")
        browser.close()


def migrated_app(prefix: str):
    """A fresh migrated SQLite database in a temporary folder, the app on it and the
    CAMPAIGN_* settings a gunicorn serving the same database needs."""
    from flask_migrate import upgrade

    from campaign import create_app

    folder = tempfile.mkdtemp(prefix=prefix)
    url = f"sqlite:///{folder}/bench.sqlite"
    env = {"CAMPAIGN_DATABASE_URL": url, "CAMPAIGN_SECRET_KEY": "b" * 40,
           "CAMPAIGN_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40, "TESTING": True})
    with app.app_context():
        upgrade()
    return folder, env, app


def main() -> None:
    folder, env, app = migrated_app("bench-public-")
    started = time.perf_counter()
    codes = insert_employers(app, 10_000)
    print(f"Inserted 10,000 published employers in {time.perf_counter() - started:.1f} s")
    hello_server = gunicorn("bench_public:hello", 5981, {}, ["--pythonpath", "bench"])
    server = gunicorn("wsgi:app", 5982, env)
    try:
        load_figures("http://127.0.0.1:5982", "http://127.0.0.1:5981/", codes, folder)
        browser_figures("http://127.0.0.1:5982", "with 10,000 employers")
        insert_employers(app, 40_000, start=10_000)
        for _ in range(8):  # both workers rebuild after the change (no restart, no warm-up hook)
            get("http://127.0.0.1:5982/karte").read()
        browser_figures("http://127.0.0.1:5982", "with 50,000 employers", filter_change=False)
    finally:
        for process in (hello_server, server):
            process.terminate()
            process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
