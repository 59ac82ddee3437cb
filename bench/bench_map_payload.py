"""The map's compact payload and the map page at scale: `python bench/bench_map_payload.py`.

Seeds 10,000 and then 50,000 published employers into a fresh SQLite database (direct inserts,
timed), serves the app with gunicorn on a free loopback port and prints: the gzipped size of the
map payload (/karte/daten.json, goal ≤ 150 KB at 10,000) next to the open-data GeoJSON, and for
/karte in headless Chromium the time until the map is interactive and the longest main-thread
task until then (PerformanceObserver "longtask"; goal: none over 200 ms at 50,000), on a wide
screen and on a phone. Figures only; no assertions.
"""

from __future__ import annotations

import gzip
import os
import shutil
import time

from harness import ROOT, get, gunicorn, migrated_app, seed

LONGTASKS = """window.__tasks = []; new PerformanceObserver(list => list.getEntries().forEach(
  e => window.__tasks.push(e.duration))).observe({type: 'longtask', buffered: true});"""


def gzipped_size(url: str) -> tuple[int, int]:
    body = get(url, {"Accept-Encoding": "gzip"}).read()
    return len(body), len(gzip.decompress(body))


def payload_figures(base: str, count: int) -> None:
    for label, path in (("map payload", "/karte/daten.json"),
                        ("open-data GeoJSON", "/api/v1/employers.geojson")):
        packed, plain = gzipped_size(base + path)
        print(f"{label:18} {count:>6,} employers: {packed / 1024:6.0f} KB gzipped "
              f"({plain / 1024:.0f} KB plain, {packed / count:.1f} bytes per employer)")


def interactive_figures(base: str, count: int, viewport: dict, label: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport=viewport)
        page.route("http://127.0.0.1:9/**", lambda route: route.abort())
        page.add_init_script(LONGTASKS)
        started = time.perf_counter()
        page.goto(base + "/karte", wait_until="commit")
        page.wait_for_selector("[data-map][data-state=ready]", state="attached", timeout=120000)
        ready = time.perf_counter() - started
        page.wait_for_timeout(500)  # let a task still running at "ready" be reported
        tasks = page.evaluate("window.__tasks")
        took = page.evaluate("""() => new Promise(resolve => {
            const t0 = performance.now();
            document.addEventListener('map:ready', () => resolve(performance.now() - t0), {once: true});
            document.querySelector('#offers-4').click(); })""")
        print(f"/karte {count:,} employers, {label}: interactive after {ready * 1000:.0f} ms; "
              f"longest main-thread task {max(tasks, default=0):.0f} ms "
              f"({len(tasks)} tasks over 50 ms, {sum(t > 200 for t in tasks)} over 200 ms); "
              f"one tap on a choice updates list and map in {took:.0f} ms")
        browser.close()


def main() -> None:
    folder, env, app = migrated_app("bench-map-")
    seed(app, 10_000)
    server = gunicorn("wsgi:app", env)
    base = server.url
    try:
        payload_figures(base, 10_000)
        interactive_figures(base, 10_000, {"width": 1200, "height": 900}, "wide screen")
        seed(app, 40_000, start=10_000)
        for _ in range(8):  # both workers rebuild after the change
            get(base + "/karte").read()
        payload_figures(base, 50_000)
        interactive_figures(base, 50_000, {"width": 1200, "height": 900}, "wide screen")
        interactive_figures(base, 50_000, {"width": 375, "height": 812}, "phone")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
