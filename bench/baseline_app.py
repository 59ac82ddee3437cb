"""The baselines the bench scripts compare against: a bare Flask app, nothing of campaign/.

`/` answers "Hallo" (the floor for tiny responses like the QR redirect); `/seite/<bytes>`
renders 20 result cards through a Jinja layout (templates/baseline_page.html), padded in a
comment to exactly that many bytes, so it stands for "a page of the same size as /karte".
Served by harness.gunicorn() with the same worker settings as the app.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template

app = Flask("baseline", template_folder=str(Path(__file__).parent / "templates"))
_OFFERS = ("Ausbildung", "Praktikum", "Berufseinstieg", "Ferienjob")
_LANGUAGES = ("Deutsch", "Türkçe", "العربية", "Українська", "Polski")
CARDS = [{"slug": f"beispiel-baeckerei-sonnenschein-{n}", "name": f"Beispiel: Bäckerei Sonnenschein {n}",
          "status": "Heute ab 09:00 Uhr ohne Termin", "offers": _OFFERS[n % 3:n % 3 + 2],
          "ask_for": "das Team am Empfang", "languages": ("Deutsch", _LANGUAGES[1 + n % 4]),
          "street": f"Hauptstraße {n + 1}", "postal_code": "44787", "city": "Bochum",
          "lat": 51.48 + n / 1000, "lon": 7.21 + n / 1000} for n in range(20)]
_pads: dict[int, str] = {}


def _render(pad: str) -> str:
    return render_template("baseline_page.html", cards=CARDS, total=10_000, campaign="Alle Türen offen",
                           query="offers=ausbildung&district=Mitte", pad=pad)


@app.get("/")
def hello():
    return "Hallo"


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/seite/<int:size>")
def page(size: int):
    """`size` bytes of HTML (at least the unpadded page)."""
    if size not in _pads:
        _pads[size] = "x" * max(0, size - len(_render("").encode()))
    return _render(_pads[size])
