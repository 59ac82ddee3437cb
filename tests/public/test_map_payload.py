"""The map's compact payload and the sticker picture on the start page."""

from __future__ import annotations

import gzip
import io
import json

import zxingcpp
from PIL import Image

from campaign.core.links import osm_place_url
from campaign.core.text import slugify
from campaign.entries.vocabulary import LANGUAGES, OFFER_LABELS
from campaign.public.map_data import drop_in_code, slug_code


def decoded(payload: dict) -> list[dict]:
    """The payload read back the way static/js/map.js reads it."""
    columns, tables, scale = payload["columns"], payload["tables"], payload["scale"]
    offers, languages = payload["vocabulary"]["offers"], payload["vocabulary"]["languages"]
    entries = []
    for i in range(payload["count"]):
        lat, code = columns["lat"][i], columns["slug"][i]
        own = slugify(columns["name"][i])
        district, quarter = tables["place"][columns["place"][i]].split("|", 1)
        entries.append({
            "slug": own if code == "" else own + "-" + code[1:] if code[0] == "+" else code,
            "name": columns["name"][i], "district": district, "quarter": quarter,
            "lat": None if lat is None else (payload["origin"][0] + lat) / scale,
            "lon": None if lat is None else (payload["origin"][1] + columns["lon"][i]) / scale,
            "offers": [c for n, c in enumerate(offers) if columns["flags"][i] >> n & 1],
            "step_free": bool(columns["flags"][i] >> len(offers) & 1),
            "languages": [c for n, c in enumerate(languages) if columns["languages"][i] >> n & 1],
            **{name: tables[name][columns[name][i]]
               for name in ("sector", "city", "postal_code", "ask_for", "drop_in", "text")},
        })
    return entries


def test_payload_has_what_cards_and_markers_need_and_nothing_private(client, publish):
    publish(slug="baeckerei-sonne", name="Bäckerei Sonne", offers=["ferienjob", "ausbildung"],
            languages=["tr", "de"], sector="Handwerk", district="Mitte", quarter="Hamme",
            occupations="Verkäuferin", description="Wir backen Brötchen.", step_free=True,
            lat=51.4930456, lon=7.1920049, ask_for="Frau Yilmaz",
            drop_in={"slots": [{"day": 1, "start": "09:00", "end": "12:30"}]})
    publish(slug="ohne-pin-x7k2p", name="Ohne Pin", lat=None, lon=None,
            drop_in={"opening_hours": True, "slots": []})
    response = client.get("/karte/daten.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    payload = json.loads(body)
    first, second = decoded(payload)
    assert second["slug"] == "ohne-pin-x7k2p" and second["city"] == "Bochum"
    assert first["name"] == "Bäckerei Sonne" and first["slug"] == "baeckerei-sonne"
    assert payload["columns"]["slug"] == ["", "+x7k2p"]  # the name's own slug is left out
    assert first["offers"] == ["ausbildung", "ferienjob"] and set(first["languages"]) == {"de", "tr"}
    assert (first["sector"], first["district"], first["quarter"]) == ("Handwerk", "Mitte", "Hamme")
    assert first["step_free"] and first["drop_in"] == "109001230"
    assert first["text"] == "verkauferin wir backen brotchen." and first["ask_for"] == "Frau Yilmaz"
    assert osm_place_url(first["lat"], first["lon"]) == osm_place_url(51.4930456, 7.1920049)
    assert second["lat"] is None and second["drop_in"] == "o" and not second["step_free"]
    for private in ("Erika Muster", "@firma", "public_email", "website", "description"):
        assert private not in body


def test_payload_is_cached_with_etag_and_gzip(client, publish):
    publish(name="Bäckerei Sonne")
    first = client.get("/karte/daten.json", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(first.data))["count"] == 1
    again = client.get("/karte/daten.json", headers={"Accept-Encoding": "gzip",
                                                     "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_payload_is_much_smaller_than_the_geojson(client, publish):
    for number in range(40):
        publish(name=f"Betrieb {number}", description="Ein langer Text über den Betrieb. " * 5,
                website="https://example.org", public_email="info@example.org")
    compact = client.get("/karte/daten.json").data
    geojson = client.get("/api/v1/employers.geojson").data
    assert len(compact) < len(geojson) / 2


def test_drop_in_codes():
    assert slug_code("a-b", "A B") == "" and slug_code("a-b-x1", "A B") == "+x1"
    assert slug_code("other", "A B") == "other"
    assert drop_in_code({}) == ""
    assert drop_in_code({"opening_hours": True, "slots": []}) == "o"
    assert drop_in_code({"slots": [{"day": 0, "start": "09:00", "end": "12:00"},
                                   {"day": 6, "start": "14:30", "end": "23:59"}]}) == \
        "009001200,614302359"


def test_vocabularies_fit_the_bit_sets():
    assert len(OFFER_LABELS) + 1 < 31 and len(LANGUAGES) < 31  # JavaScript bits are 32-bit


def test_start_page_shows_the_real_sticker_whose_code_leads_to_the_start_page(client, app):
    page = client.get("/").get_data(as_text=True)
    assert 'src="/aufkleber.png"' in page and "Ohne Termin fragen" in page
    response = client.get("/aufkleber.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert image.width >= 590 and abs(image.width / image.height - 105 / 148) < 0.01
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    assert codes == [app.config["PUBLIC_URL"] + "/"]
    assert client.get("/aufkleber.png", headers={"If-None-Match": response.headers["ETag"]}
                      ).status_code == 304
