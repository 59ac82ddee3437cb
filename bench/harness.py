"""Shared helpers of the bench scripts: seeding, gunicorn on a free port, wrk, A/B rounds, RSS.

Every figure a bench script prints as a ratio is measured against a baseline in the same run,
interleaved (A, B, A, B, …), so that noise from other work on the machine hits both.
"""

from __future__ import annotations

import atexit
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
for folder in (ROOT, BENCH):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from tests.support import free_port, no_control_socket  # noqa: E402  (shared with the tests)

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
MAX_SECONDS = 30
CONNECTIONS = 32


def get(url: str, headers: dict | None = None, timeout: float = 120):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (loopback only)


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The worker processes: the children of the gunicorn master."""
        children = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    children.append(int(entry))
        return sorted(children)

    def wait_idle(self, count: int, quiet: float = 0.5, timeout: float = 300) -> None:
        """Until `count` workers exist and none used over a tenth of a core for `quiet` s:
        the start-up hook (snapshot, open data files) has then finished in every worker."""
        deadline, before = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = {pid: cpu_seconds(pid) for pid in self.workers()}
            if len(now) == count and before.keys() == now.keys() and all(
                    now[pid] - before[pid] < quiet / 10 for pid in now):
                return
            before = now

    def rss_mb(self) -> list[tuple[float, float]]:
        """(current VmRSS, peak VmHWM) in MB of every worker."""
        return [rss_mb(pid) for pid in self.workers()]

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int) -> tuple[float, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {k: int(v.split()[0]) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(.+)$", status, re.M)}
    return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024


def gunicorn(target: str, env: dict, workers: int = 2, extra=(), cwd: Path = ROOT,
             ready_path: str = "/", wait: float = 300) -> Server:
    """gunicorn serving `target` on a free loopback port, sync workers, once it answers and
    every worker has finished starting. Run from the checkout, `wsgi:app` gets the packaged
    hooks (gunicorn.conf.py); pass cwd=BENCH for an app that must not get them. (Not /healthz
    to ask whether it is up: that writes, and on SQLite competes with the start-up hook.)"""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "300",
         *no_control_socket(), *extra, target],
        cwd=cwd, env={**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, (str(ROOT), str(BENCH), os.environ.get("PYTHONPATH")))), **env})
    server = Server(process, port)
    atexit.register(server.stop)  # also when the bench script fails
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {target} exited during start")
        try:
            get(server.url + ready_path, timeout=wait).read()
        except OSError:
            time.sleep(0.1)
            continue
        server.wait_idle(workers, timeout=deadline - time.monotonic())
        return server
    server.stop()
    raise RuntimeError(f"gunicorn {target} did not start")


_UNITS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def wrk(url: str, headers=(), script: str | None = None, seconds: float | None = None,
        connections: int = CONNECTIONS) -> dict:
    """req/s, p99 in ms and errors (socket errors, timeouts, status ≥ 400) of one wrk run."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds or SECONDS:g}s", "--timeout", "60s",
               "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                              out)
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "seconds": seconds or SECONDS,
            "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan"),
            "errors": (sum(map(int, socket_errors.groups())) if socket_errors else 0)
            + (int(bad_status.group(1)) if bad_status else 0)}


def run_seconds(url: str, connections: int = CONNECTIONS, workers: int = 2) -> float:
    """A wrk duration in which every connection completes several requests, so a slow page is
    not judged by its first queue alone: SECONDS, longer for slow pages, at most MAX_SECONDS."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        get(url).read()
        times.append(time.perf_counter() - started)
    needed = 6 * connections * statistics.median(times) / workers
    return round(min(MAX_SECONDS, max(SECONDS, needed)))


def wrk_enough(url: str, seconds: float, connections: int = CONNECTIONS, **options) -> dict:
    """wrk(), run again for longer (up to MAX_SECONDS) while each connection completed fewer
    than 4 requests: otherwise a slow page is judged by its first queue alone."""
    result = wrk(url, seconds=seconds, connections=connections, **options)
    while (result["rps"] * result["seconds"] < 4 * connections
           and result["seconds"] < MAX_SECONDS):
        longer = round(6 * connections / max(result["rps"], 0.1))
        result = wrk(url, seconds=min(MAX_SECONDS, max(longer, result["seconds"] * 2)),
                     connections=connections, **options)
    return result


def interleaved(runs: dict, rounds: int | None = None) -> dict[str, dict]:
    """Run every measurement once per round, in the same order each round (A, B, A, B, …), and
    return each one's median req/s and p99 and its summed errors. `runs`: name -> callable
    returning a wrk() result."""
    seen: dict[str, list[dict]] = {name: [] for name in runs}
    for _ in range(rounds or ROUNDS):
        for name, run in runs.items():
            seen[name].append(run())
    return {name: {"rps": statistics.median(r["rps"] for r in results),
                   "p99_ms": statistics.median(r["p99_ms"] for r in results),
                   "errors": sum(r["errors"] for r in results),
                   "seconds": max(r["seconds"] for r in results),
                   "rounds": [r["rps"] for r in results]}
            for name, results in seen.items()}


def verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


def qr_script(codes: list[str], folder: str) -> str:
    """A wrk Lua script that asks for /t/<code> with random real codes."""
    path = Path(folder) / "qr.lua"
    listed = ",".join(f'"{c}"' for c in codes[:2000])
    path.write_text(f"codes = {{{listed}}}\nrequest = function()\n"
                    "  return wrk.format('GET', '/t/' .. codes[math.random(#codes)])\nend\n")
    return str(path)


def migrated_app(prefix: str):
    """A fresh migrated SQLite database in a temporary folder, the app on it and the
    CAMPAIGN_* settings a gunicorn serving the same database needs."""
    folder = tempfile.mkdtemp(prefix=prefix)
    env, app = migrated_app_on(f"sqlite:///{folder}/bench.sqlite")
    return folder, env, app


def migrated_app_on(url: str):
    """The app on the database at `url`, migrated, and the CAMPAIGN_* settings for it."""
    from flask_migrate import upgrade

    from campaign import create_app

    env = {"CAMPAIGN_DATABASE_URL": url, "CAMPAIGN_SECRET_KEY": "b" * 40,
           "CAMPAIGN_TILE_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b" * 40, "TESTING": True})
    with app.app_context():
        upgrade()
    return env, app


def bench_code(number: int) -> str:
    """A distinct QR code per number, in the app's alphabet (an odd multiplier is a bijection
    modulo 31**7), so seeding needs no random draws."""
    from campaign.models import QR_ALPHABET, QR_CODE_LENGTH

    value, digits = (number * 2_654_435_761 + 12_345) % len(QR_ALPHABET) ** QR_CODE_LENGTH, []
    for _ in range(QR_CODE_LENGTH):
        value, digit = divmod(value, len(QR_ALPHABET))
        digits.append(QR_ALPHABET[digit])
    return "B" + "".join(digits)


def insert_employers(app, count: int, start: int = 0) -> list[str]:
    """Published entries spread over the real quarters, in one Core bulk insert (no ORM
    objects); returns their QR codes. Bumps the public data version once."""
    from sqlalchemy import insert

    from campaign.core import audit
    from campaign.core.text import slugify
    from campaign.entries.demo import KINDS, NAMES
    from campaign.extensions import db
    from campaign.models import Employer

    rng = random.Random(start)
    city = app.extensions["campaign_city"]
    quarters = list(city.quarter_centres.items())
    slots = [[{"day": d, "start": "09:00", "end": "16:00"} for d in range(n)] for n in range(6)]
    rows, codes = [], []
    for number in range(start, start + count):
        kind, sector, description = rng.choice(KINDS)
        quarter, (lat, lon) = rng.choice(quarters)
        code = bench_code(number)
        codes.append(code)
        rows.append(dict(
            slug=slugify(name := f"Beispiel: {kind} {rng.choice(NAMES)} {number}"), qr_code=code,
            status="published", name=name, sector=sector,
            description=description, street=f"Hauptstraße {number % 120 + 1}", postal_code="44787",
            city="Bochum", district=city.district_of[quarter], quarter=quarter,
            lat=round(lat + rng.uniform(-0.01, 0.01), 6), lon=round(lon + rng.uniform(-0.015, 0.015), 6),
            offers=rng.sample(["ausbildung", "praktikum", "einstieg", "ferienjob"], 2),
            languages=["de", rng.choice(["tr", "ar", "uk", "pl", "en"])], occupations="",
            drop_in={"opening_hours": False, "slots": slots[rng.randint(1, 5)]},
            ask_for="das Team am Empfang", step_free=rng.random() < 0.5))
    with app.app_context():
        db.session.execute(insert(Employer.__table__), rows)
        audit.public_data_changed()
        db.session.commit()
    return codes


def seed(app, count: int, start: int = 0) -> list[str]:
    """insert_employers(), printing how long it took."""
    started = time.perf_counter()
    codes = insert_employers(app, count, start=start)
    print(f"Seeded {count:,} published employers in {time.perf_counter() - started:.1f} s",
          flush=True)
    return codes
