"""Public map, QR redirect and open data under load: `python bench/bench_public.py`.

Inserts 10,000 published employers into a fresh SQLite database, serves the app and a bare
Flask "hello" view (bench/baseline_app.py) with gunicorn (2 sync workers each) on free loopback
ports, loads them with wrk (32 connections; median of 3 interleaved rounds, bench/harness.py)
and prints requests per second, ratios and p99. Then opens /karte in headless
Chromium with tiles blocked (time to clustered markers and the first list page, filter change)
and, with 50,000 employers, the longest main-thread task. Figures only; no assertions.
"""

from __future__ import annotations

import gzip
import shutil
import time

from harness import (
    BENCH,
    get,
    gunicorn,
    insert_employers,
    interleaved,
    migrated_app,
    qr_script,
    seed,
    wrk,
)


def load_figures(base: str, hello_url: str, codes: list[str], folder: str) -> None:
    head = get(base + "/api/v1/employers.geojson", {"Accept-Encoding": "gzip"})
    etag, body = head.headers["ETag"], head.read()
    print(f"GeoJSON: 10,000 features, {len(body) / 1024:.0f} KB gzipped "
          f"({len(gzip.decompress(body)) / 1024:.0f} KB plain)")
    script, geojson = qr_script(codes, folder), base + "/api/v1/employers.geojson"
    results = interleaved({
        "bare Flask hello": lambda: wrk(hello_url),
        "/t/<code> (lookup, count, 302)": lambda: wrk(base + "/", script=script),
        "GeoJSON gzip": lambda: wrk(geojson, ["Accept-Encoding: gzip"]),
        "GeoJSON 304": lambda: wrk(geojson, ["Accept-Encoding: gzip", f"If-None-Match: {etag}"]),
    })
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


def main() -> None:
    folder, env, app = migrated_app("bench-public-")
    codes = seed(app, 10_000)
    hello_server = gunicorn("baseline_app:app", {}, cwd=BENCH)
    server = gunicorn("wsgi:app", env)
    try:
        load_figures(server.url, hello_server.url + "/", codes, folder)
        browser_figures(server.url, "with 10,000 employers")
        insert_employers(app, 40_000, start=10_000)
        for _ in range(8):  # both workers rebuild after the change (no restart, no warm-up hook)
            get(server.url + "/karte").read()
        browser_figures(server.url, "with 50,000 employers", filter_change=False)
    finally:
        hello_server.stop()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
