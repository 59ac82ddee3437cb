"""Issue 14, "Scale to 50,000 employers": every goal as a figure against a same-run baseline.

`python bench/bench_scale.py` seeds 1,000, then 10,000, then 50,000 published employers into one
SQLite database (BENCH_SIZES=1000,10000 to choose; BENCH_SECONDS per wrk run, default 5, longer
for a slow page; BENCH_ROUNDS, default 3) and at each size starts the app with gunicorn (2 sync workers, the packaged hooks) and prints:

- /karte unfiltered, filtered, text search and a deep page: req/s and p99 against a bare Flask
  page rendering a Jinja template of the same byte size (bench/baseline_app.py); goal ≥ 0.5×;
- /t/<code> with random real codes against a bare Flask "hello"; goal ≥ 0.6×;
  (both as the median of 3 interleaved rounds: base, subject, base, subject, …)
- one change (pause, then resume, through the app's own staff operations) while 10 clients keep
  asking for /karte?q=<its name> and the GeoJSON: how long until every client has an answer
  showing it and no stale answer comes any more (goal ≤ 1 s), the slowest of those requests against the slowest before the change (goal: no
  request waits on a rebuild) and the snapshot build time the workers log (goal ≤ 100 ms);
- worker RSS after all that against the app's own worker on an empty database (the issue's
  "bare worker"), goal ≤ 2×, and beside it against an idle bare Flask worker.
/karte pages are kept rendered per data version, minute and query, so the four /karte rows
measure what most visitors get; "/karte any page" asks for a random page of the whole list
each time (nearly never kept) and shows what rendering costs when nothing is kept.
"""

from __future__ import annotations

import gzip
import math
import os
import re
import shutil
import statistics
import threading
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from harness import (
    BENCH,
    ROUNDS,
    SECONDS,
    Server,
    get,
    gunicorn,
    interleaved,
    migrated_app,
    qr_script,
    run_seconds,
    seed,
    verdict,
    wrk,
    wrk_enough,
)

CONNECTIONS = 16  # 2 sync workers stay busy; a slow page still completes enough in a run
SIZES = sorted(int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000,50000").split(","))
POLLERS = {"karte": 8, "geojson": 2}
LOG_CONFIG = """[loggers]
keys=root,campaign
[handlers]
keys=stderr,file
[formatters]
keys=plain
[logger_root]
level=WARNING
handlers=stderr
[logger_campaign]
level=INFO
handlers=file
qualname=campaign
propagate=0
[handler_stderr]
class=StreamHandler
level=WARNING
args=(sys.stderr,)
formatter=plain
[handler_file]
class=FileHandler
args=({path!r}, "a")
formatter=plain
[formatter_plain]
format=%(created).3f %(process)d %(name)s %(levelname)s %(message)s
"""
# campaign.public.snapshot: "Public data version 7: 1 changed entries patched in 2.1 ms",
# "… 50000 entries read in 4000 ms", "… geojson built in 300 ms"
WORK_LINE = re.compile(r"^([\d.]+) (\d+) \S+ INFO Public data version \d+: (.*?) in ([\d.]+) ms$",
                       re.M)


def start_app(env: dict, folder: str) -> tuple[Server, Path, float]:
    log = Path(folder) / "app.log"
    log.write_text("")
    config = Path(folder) / "logging.ini"
    config.write_text(LOG_CONFIG.format(path=str(log)))
    started = time.perf_counter()
    server = gunicorn("wsgi:app", env, extra=["--log-config", str(config)])
    return server, log, time.perf_counter() - started


def subjects(app, count: int) -> dict[str, str]:
    """The /karte variants: unfiltered, filtered by a real district, a word that exists, deep."""
    from campaign.extensions import db
    from campaign.models import Employer

    with app.app_context():
        district = db.session.scalar(db.select(Employer.district).group_by(Employer.district)
                                     .order_by(db.func.count().desc()).limit(1))
    return {"/karte": "/karte", "/karte filtered": f"/karte?offers=ausbildung&district={district}",
            "/karte search": "/karte?q=Sonnenschein",
            "/karte deep page": f"/karte?page={math.ceil(count / 20)}"}


def warm(base: str, paths) -> None:
    for path in paths:  # a short wrk run reaches both workers
        wrk(base + path, seconds=1, connections=4)


UNCACHED = "/karte any page"


def any_page_script(count: int, folder: str) -> str:
    """A wrk Lua script asking for a random page of the whole unfiltered list each time."""
    path = Path(folder) / "pages.lua"
    path.write_text(f"request = function()\n  return wrk.format('GET', '/karte?page=' .. "
                    f"math.random({math.ceil(count / 20)}))\nend\n")
    return str(path)


def load_figures(server: Server, baseline: Server, pages: dict[str, str], codes, folder) -> dict:
    size = len(get(server.url + "/karte").read())
    scripts = {"/t/<code>": qr_script(codes, folder), UNCACHED: any_page_script(len(codes), folder)}
    urls = {"bare page": f"{baseline.url}/seite/{size}",
            **{name: server.url + path for name, path in pages.items()},
            UNCACHED: server.url + "/karte",
            "bare hello": baseline.url + "/", "/t/<code>": server.url + "/"}
    seconds = {name: run_seconds(url, CONNECTIONS) if name in pages or name == UNCACHED
               else SECONDS for name, url in urls.items()}

    def run(name: str) -> dict:
        result = wrk_enough(urls[name], seconds[name], CONNECTIONS, script=scripts.get(name))
        seconds[name] = result["seconds"]  # the next rounds start with what was enough
        return result

    results = interleaved({name: (lambda name=name: run(name)) for name in urls})
    for name, url in urls.items():
        if "seite" in url or name in pages or name == UNCACHED:
            results[name]["bytes"] = len(get(url).read())
    return results


def print_load(results: dict) -> None:
    print(f"  {'what':22} {'req/s':>8} {'p99 ms':>8} {'errors':>6} {'KB':>6} {'run s':>5} "
          f"{'ratio':>7}  goal")
    reference = None
    for name, figures in results.items():
        if name.startswith("bare"):
            reference, ratio, goal, mark = figures["rps"], "", "", ""
        else:
            share = figures["rps"] / reference
            needed = 0.6 if name == "/t/<code>" else 0.5
            ratio, goal, mark = f"{share:6.3f}×", f"≥ {needed}× {name_of_reference(name)}", \
                verdict(share >= needed)
            if name == UNCACHED:
                goal, mark = "(for comparison: every request renders)", ""
        kb = f"{figures['bytes'] / 1024:6.0f}" if "bytes" in figures else ""
        print(f"  {name:22} {figures['rps']:8.1f} {figures['p99_ms']:8.0f} "
              f"{figures['errors']:6d} {kb:>6} {figures['seconds']:5g} {ratio:>7}  {goal} {mark}")


def name_of_reference(name: str) -> str:
    return "bare hello" if name == "/t/<code>" else "bare page"


class Sample(NamedTuple):
    kind: str  # "karte" or "geojson"
    poller: int
    start: float
    end: float
    shown: bool | None  # whether the entry was in the answer; None: the request failed

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


class Pollers:
    """Visitors asking again and again (threads in this process), each answer a Sample."""

    def __init__(self, base: str, slug: str, name: str):
        self.urls = {"karte": f"{base}/karte?{urlencode({'q': name})}",
                     "geojson": f"{base}/api/v1/employers.geojson"}
        self.marks = {"karte": f'data-slug="{slug}"'.encode(), "geojson": f'"id":"{slug}"'.encode()}
        self.samples: list[Sample] = []
        self.stopping = threading.Event()
        kinds = [kind for kind, count in POLLERS.items() for _ in range(count)]
        self.threads = [threading.Thread(target=self.poll, args=(kind, number), daemon=True)
                        for number, kind in enumerate(kinds)]

    def poll(self, kind: str, number: int) -> None:
        while not self.stopping.is_set():
            started = time.perf_counter()
            try:
                response = get(self.urls[kind], {"Accept-Encoding": "gzip"})
                body = response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                shown = self.marks[kind] in body
            except Exception:  # noqa: BLE001 (counted as a failed request, the poller goes on)
                shown = None
            self.samples.append(Sample(kind, number, started, time.perf_counter(), shown))

    def since(self, moment: float) -> list[Sample]:
        """The answers that arrived after `moment`."""
        return [s for s in list(self.samples) if s.end > moment]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()


def change_figures(pollers: Pollers, change, shown_after: bool, settle: float = 1.5,
                   limit: float = 120) -> dict:
    """Apply `change` while the pollers run. Done when every poller has had an answer to a
    request sent after the change and no stale answer came for `settle` s.
    `shown_after`: whether the entry is listed once the change is visible."""
    quiet = time.perf_counter()
    time.sleep(2)
    while time.perf_counter() - quiet < limit and len(
            {s.poller for s in pollers.since(quiet) if s.start >= quiet}) < len(pollers.threads):
        time.sleep(0.1)  # every poller's latency before the change, even on a slow page
    wall, started = time.time(), time.perf_counter()
    change()
    done = time.perf_counter()

    def stale(sample: Sample) -> bool:
        return sample.shown is not None and sample.shown != shown_after

    while time.perf_counter() - done < limit:
        time.sleep(0.1)
        after = pollers.since(done)
        answered = {s.poller for s in after if s.start > done}
        last_stale = max((s.end for s in after if stale(s)), default=done)
        if len(answered) == len(pollers.threads) and time.perf_counter() - last_stale > settle:
            break
    before = [s for s in pollers.since(quiet) if s.start >= quiet and s.end <= started]
    after = pollers.since(done)
    return {"visible_ms": (visible_at(after, done, stale) - done) * 1000, "wall": wall,
            "before": latencies(before), "after": latencies(after),
            "geojson_after": latencies([s for s in after if s.kind == "geojson"]),
            "requests": len(after), "failed": sum(s.shown is None for s in after)}


def visible_at(after: list[Sample], done: float, stale) -> float:
    """When every visitor sees the change: no stale answer came after this moment, and every
    poller has by then had an answer showing it to a request sent after the change (so a
    request that waits on a rebuild counts until its answer arrives)."""
    first_fresh: dict[int, float] = {}
    for sample in sorted(after, key=lambda s: s.end):
        if sample.start > done and sample.shown is not None and not stale(sample):
            first_fresh.setdefault(sample.poller, sample.end)
    return max([done, *first_fresh.values(), *(s.end for s in after if stale(s))])


def latencies(samples: list[Sample]) -> dict:
    times = sorted(s.ms for s in samples) or [math.nan]
    return {"max": times[-1], "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
            "median": statistics.median(times)}


def staff_change(app, employer_id: int, operation: str):
    def run():
        from campaign.core import audit
        from campaign.entries import decisions
        from campaign.extensions import db
        from campaign.models import Employer

        with app.app_context():
            getattr(decisions, operation)(db.session.get(Employer, employer_id), audit.SYSTEM)
            db.session.commit()
    return run


class Work(NamedTuple):
    pid: int
    what: str
    ms: float


def work_between(log: Path, start: float, end: float = math.inf) -> list[Work]:
    """What the workers logged doing for the public data between two wall-clock moments."""
    return [Work(int(pid), what, float(ms))
            for created, pid, what, ms in WORK_LINE.findall(log.read_text())
            if start <= float(created) < end]


def propagation(app, server: Server, log: Path, count: int) -> None:
    from campaign.extensions import db
    from campaign.models import Employer

    with app.app_context():
        entry = db.session.scalars(db.select(Employer).order_by(Employer.id)
                                   .offset(count // 2).limit(1)).one()
        entry_id, slug, name = entry.id, entry.slug, entry.name
    changes = []
    with Pollers(server.url, slug, name) as pollers:
        for operation, shown_after in (("pause", False), ("resume", True)):
            changes.append((operation, change_figures(
                pollers, staff_change(app, entry_id, operation), shown_after)))
    server.wait_idle(len(server.workers()))  # files built in the background are logged too
    ends = [figures["wall"] for _, figures in changes[1:]] + [math.inf]
    for (operation, figures), end in zip(changes, ends, strict=True):
        print_change(operation, figures, work_between(log, figures["wall"], end))


def print_change(operation: str, figures: dict, work: list[Work]) -> None:
    before, after, geo = figures["before"], figures["after"], figures["geojson_after"]
    waited = after["max"] - before["max"]
    print(f"  change ({operation}): every visitor sees it after {figures['visible_ms']:.0f} ms "
          f"(goal ≤ 1000 ms) {verdict(figures['visible_ms'] <= 1000)}")
    print(f"    {figures['requests']} requests after it ({figures['failed']} failed): slowest "
          f"{after['max']:.0f} ms, p99 {after['p99']:.0f} ms, median {after['median']:.0f} ms "
          f"(GeoJSON: slowest {geo['max']:.0f} ms); before it: slowest {before['max']:.0f} ms, "
          f"p99 {before['p99']:.0f} ms (goal: no request waits on a rebuild, slowest ≤ before + "
          f"50 ms) {verdict(waited <= 50)}")
    per_worker = {pid: [w for w in work if w.pid == pid] for pid in sorted({w.pid for w in work})}
    if not per_worker:
        print("    work per worker: nothing logged")
        return
    for pid, done in per_worker.items():
        total = sum(w.ms for w in done)
        print(f"    work in worker {pid}: " + ", ".join(f"{w.what} {w.ms:.0f} ms" for w in done)
              + f" = {total:.0f} ms (goal ≤ 100 ms) {verdict(total <= 100)}")


def print_memory(server: Server, bare_mb: float, empty_mb: float) -> None:
    """Judged against the app's own worker on an empty database: the issue's "bare worker"
    (66 MB there); bare Flask, which loads none of the app's libraries, is printed beside."""
    workers = server.rss_mb()
    worst = max(rss for rss, _ in workers)
    print("  worker RSS after load: " + ", ".join(f"{rss:.0f} MB (peak {hwm:.0f})"
                                                   for rss, hwm in workers)
          + f"; {worst / empty_mb:.2f}× the app's worker without employers ({empty_mb:.0f} MB; "
          f"goal ≤ 2×) {verdict(worst <= 2 * empty_mb)}; {worst / bare_mb:.2f}× a bare Flask "
          f"worker ({bare_mb:.0f} MB)")


def idle_app_worker_mb(env: dict, folder: str) -> float:
    """RSS of the app's own worker on an empty database, after one /karte (for comparison)."""
    server, _, _ = start_app(env, folder)
    try:
        warm(server.url, ["/karte"])
        return max(rss for rss, _ in server.rss_mb())
    finally:
        server.stop()


def measure(app, env: dict, baseline: Server, codes: list[str], count: int, folder: str,
            memory: tuple[float, float]) -> None:
    server, log, ready = start_app(env, folder)
    try:
        pages = subjects(app, count)
        warm(server.url, [*pages.values(), "/api/v1/employers.geojson"])
        workers = server.workers()
        print(f"{count:,} employers: the app was ready {ready:.1f} s after start; start-up work: "
              + ", ".join(f"{w.what} {w.ms:.0f} ms" for w in work_between(log, 0)), flush=True)
        print_load(load_figures(server, baseline, pages, codes, folder))
        propagation(app, server, log, count)
        print_memory(server, *memory)
        if server.workers() != workers:
            print(f"  NOTE: workers were replaced during the run ({workers} -> {server.workers()})")
    finally:
        server.stop()


def main() -> None:
    folder, env, app = migrated_app("scale-bench-")
    baseline = gunicorn("baseline_app:app", {}, cwd=BENCH)
    try:
        time.sleep(1)
        memory = max(rss for rss, _ in baseline.rss_mb()), idle_app_worker_mb(env, folder)
        print(f"idle worker RSS: bare Flask {memory[0]:.0f} MB, the app without employers "
              f"{memory[1]:.0f} MB; wrk -c{CONNECTIONS}, {SECONDS:g} s per run (longer for slow "
              f"pages), median of {ROUNDS} interleaved rounds", flush=True)
        codes: list[str] = []
        for count in SIZES:
            codes += seed(app, count - len(codes), start=len(codes))
            measure(app, env, baseline, codes, count, folder, memory)
    finally:
        baseline.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
