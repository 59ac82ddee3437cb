"""The built wheel runs on its own, the way a city's IT department installs it.

The sdist and the wheel are built from the checkout, the wheel is installed into a fresh
virtualenv, and everything then runs from an unrelated folder with only CAMPAIGN_* settings:
migrations, demo data, gunicorn with the packaged settings, every public page, the static and
vendored files, open data, the sticker CLI and the QR scan counts the gunicorn hooks write.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from tests.support import ROOT, free_port

pytestmark = pytest.mark.slow

HOST = "tueren.example.org"
# What the TLS-terminating proxy in front of gunicorn sends (CAMPAIGN_PROXY_HOPS=1).
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
PUBLISHED = 4


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return done


class Installation:
    """A fresh virtualenv holding only the wheel and its dependencies, run from `workdir`."""

    def __init__(self, venv: Path, workdir: Path):
        self.venv = venv
        self.workdir = workdir
        self.database = workdir / "campaign.sqlite"
        self.settings = {
            "CAMPAIGN_DATABASE_URL": f"sqlite:///{self.database}",
            "CAMPAIGN_SECRET_KEY": "wheel-test-secret-key-that-is-long-enough-0123456789",
            "CAMPAIGN_PUBLIC_URL": f"https://{HOST}",
            "CAMPAIGN_PROXY_HOPS": "1",
            # Several workers need one shared rate-limit store (the app refuses memory:// then).
            "CAMPAIGN_RATELIMIT_STORAGE_URI": os.environ.get("TEST_REDIS_URL",
                                                             "redis://127.0.0.1:6379/0"),
        }

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def env(self, **overrides: str) -> dict[str, str]:
        """No PYTHONPATH, no inherited settings: the virtualenv and CAMPAIGN_* only."""
        return {"PATH": f"{self.venv / 'bin'}:/usr/bin:/bin", "HOME": str(self.workdir),
                "LANG": "C.UTF-8", **self.settings, **overrides}

    def flask(self, *args: str) -> str:
        return run([self.bin("flask"), "--app", "campaign", *args], cwd=self.workdir,
                   env=self.env()).stdout

    def python(self, code: str) -> str:
        return run([self.bin("python"), "-c", code], cwd=self.workdir, env=self.env()).stdout

    @contextmanager
    def gunicorn(self, workers: int = 2, **overrides: str):
        port = free_port()
        log = (self.workdir / f"gunicorn-{port}.log").open("w")
        process = subprocess.Popen(
            [self.bin("gunicorn"), "-c", "python:campaign.core.gunicorn_config", "--workers",
             str(workers), "--bind", f"127.0.0.1:{port}", "campaign:create_app()"],
            cwd=self.workdir, env=self.env(**overrides), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            log.close()


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("gunicorn exited during start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start within 30 s")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """sdist first, then the wheel from that sdist, so MANIFEST.in is proven as well.

    Without isolation the build uses this virtualenv's setuptools (the test extra pins it), which
    saves two throw-away build environments.
    """
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)])
    (built,) = dist.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installation:
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--no-compile", str(wheel)])
    installation = Installation(venv, tmp_path_factory.mktemp("elsewhere"))
    installation.flask("db", "upgrade")
    installation.flask("campaign", "seed-demo", "--count", str(PUBLISHED), "--pending", "1")
    return installation


@pytest.fixture(scope="module")
def server(installed):
    with installed.gunicorn() as url:
        yield url


@pytest.fixture(scope="module")
def published(installed) -> list[dict]:
    with sqlite3.connect(installed.database) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT name, slug, qr_code FROM employer "
                            "WHERE lower(status) = 'published' ORDER BY id").fetchall()
    return [dict(row) for row in rows]


def get(server: str, path: str, **kwargs) -> requests.Response:
    return requests.get(server + path, headers=PROXY_HEADERS, timeout=30, **kwargs)


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert match, "the page has no <h1>"
    return html.unescape(match.group(1)).strip()


def test_the_installed_package_is_used_not_the_checkout(installed):
    where = json.loads(installed.python(
        "import json, campaign, flask_migrate; from campaign import create_app\n"
        "from campaign.core import resources\n"
        "app = create_app()\n"
        "print(json.dumps({'package': campaign.__file__, 'templates': app.template_folder,\n"
        "  'static': app.static_folder, 'migrations': app.extensions['migrate'].directory}))"))
    site_packages = installed.venv / "lib"
    for path in where.values():
        assert Path(path).resolve().is_relative_to(site_packages.resolve()), where
        assert not Path(path).resolve().is_relative_to(ROOT), where
    assert Path(where["templates"]).parts[-2:] == ("_bundle", "templates")


def test_migrations_ran_from_the_wheel(installed):
    with sqlite3.connect(installed.database) as conn:
        head = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    bundled = installed.venv.glob("lib/python*/site-packages/campaign/_bundle/migrations/versions")
    (versions,) = bundled
    assert len(head) == 1
    assert any(path.name.startswith(head[0][0]) for path in versions.glob("*.py"))


@pytest.mark.parametrize(("path", "title"), [
    ("/", "Klopf an. Frag nach. Starte hier und jetzt."),
    ("/karte", "Offene Türen finden"),
    ("/mitmachen", "Mitmachen: Ihr Betrieb öffnet die Tür"),
    ("/impressum", "Impressum"),
    ("/datenschutz", "Datenschutzerklärung"),
    ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ("/offene-daten", "Offene Daten: alle offenen Türen"),
    ("/admin/login", "Anmelden"),
])
def test_every_page_renders_from_the_packaged_templates(server, path, title):
    response = get(server, path)
    assert response.status_code == 200
    assert heading(response.text) == title


def test_the_map_lists_the_seeded_employers_and_their_pages_open(server, published):
    assert len(published) == PUBLISHED
    listing = get(server, "/karte").text
    for entry in published:
        assert html.escape(entry["name"]) in listing
        page = get(server, f"/betrieb/{entry['slug']}")
        assert page.status_code == 200
        assert heading(page.text) == entry["name"]


def test_static_and_vendored_files_referenced_by_the_pages_are_served(server, published):
    pages = [get(server, path).text for path in ("/", "/karte", f"/betrieb/{published[0]['slug']}")]
    assets = {url for page in pages
              for url in re.findall(r'(?:href|src)="(/(?:static|vendor)/[^"?]+)', page)}
    assert {"/static/css/app.css", "/static/js/map.js"} <= assets
    assert any(re.fullmatch(r"/vendor/leaflet/[^/]+/leaflet\.js", url) for url in assets), assets
    for url in sorted(assets):
        response = get(server, url)
        assert response.status_code == 200, url
        assert response.content, url
    assert "L.map" in get(server, "/static/js/map.js").text
    leaflet = next(url for url in assets if url.endswith("/leaflet.js"))
    assert "Leaflet" in get(server, leaflet).text[:500]


def test_open_data_has_every_published_employer(server, published):
    response = get(server, "/api/v1/employers.geojson")
    assert response.status_code == 200
    features = response.json()["features"]
    assert sorted(f["id"] for f in features) == sorted(e["slug"] for e in published)
    assert get(server, "/healthz").json() == {"status": "ok", "database": "ok"}


def test_sticker_cli_writes_a_pdf_with_every_name_in_the_packaged_fonts(installed, published):
    out = installed.workdir / "stickers.pdf"
    said = installed.flask("campaign", "stickers", "--out", str(out))
    assert f"{PUBLISHED} Aufkleber" in said
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == PUBLISHED
    for page, entry in zip(reader.pages, published, strict=True):
        words = page.extract_text().split()
        assert all(word in words for word in entry["name"].split()), (entry["name"], words)
        fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()
                 if "/BaseFont" in font.get_object()}
        assert {"DejaVuSans", "DejaVuSans-Bold"} <= {font.split("+")[-1] for font in fonts}, fonts


def test_the_packaged_gunicorn_hooks_write_scans_when_a_worker_stops(installed, published):
    entry = published[0]
    # Flushing only when a worker exits: without the packaged worker_exit hook the scan is lost.
    with installed.gunicorn(workers=1, CAMPAIGN_SCAN_FLUSH_SECONDS="3600") as url:
        response = get(url, f"/t/{entry['qr_code']}", allow_redirects=False)
        assert response.status_code in (302, 303)
        assert response.headers["Location"].endswith(f"/betrieb/{entry['slug']}")
        with sqlite3.connect(installed.database) as conn:
            assert conn.execute("SELECT count(*) FROM scan_count").fetchone()[0] == 0
    with sqlite3.connect(installed.database) as conn:
        counts = conn.execute("SELECT e.slug, s.count FROM scan_count s "
                              "JOIN employer e ON e.id = s.employer_id").fetchall()
    assert counts == [(entry["slug"], 1)]
