"""Open data: only published entries and public fields; ETag, 304, gzip; cache invalidation."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest

from campaign import create_app
from campaign.entries import lifecycle as operations
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.conftest import base_config
from tests.public.conftest import bump_version

PRIVATE_VALUES = ("Erika Muster", "@firma", "0170 999", "Interne Notiz")
EXPECTED_PROPERTIES = {
    "name", "sector", "description", "street", "postal_code", "city", "district",
    "quarter", "offers", "occupations", "languages", "drop_in", "ask_for", "step_free", "website",
    "public_phone", "public_email", "is_subsidiary", "location_source",
}


def entry_per_status(app, make_employer):
    for status in Status:
        employer = make_employer(status=status, name=f"Betrieb {status.value}",
                                 slug=f"betrieb-{status.value}", public_phone="0234 123456")
        with app.app_context():
            private = db.session.get(Employer, employer.id).private
            private.contact_phone, private.internal_notes = "0170 999", "Interne Notiz"
            db.session.commit()
    bump_version(app)


def features(client) -> list[dict]:
    response = client.get("/api/v1/employers.geojson")
    assert response.status_code == 200
    return json.loads(response.data)["features"]


def csv_rows(client) -> list[dict]:
    response = client.get("/api/v1/employers.csv")
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode())  # spreadsheets keep the umlauts
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_geojson_holds_only_published_entries_with_public_fields(app, client, make_employer):
    entry_per_status(app, make_employer)
    response = client.get("/api/v1/employers.geojson")
    assert response.headers["Content-Type"] == "application/geo+json; charset=utf-8"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    collection = json.loads(response.data)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["id"] == "betrieb-published"
    assert set(feature["properties"]) == EXPECTED_PROPERTIES
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.219, 51.4781]}  # lon, lat
    body = response.data.decode()
    assert not [value for value in PRIVATE_VALUES if value in body]


def test_csv_holds_only_published_entries_with_public_fields(app, client, make_employer):
    entry_per_status(app, make_employer)
    rows = csv_rows(client)
    assert [row["slug"] for row in rows] == ["betrieb-published"]
    assert set(rows[0]) == EXPECTED_PROPERTIES | {"slug", "url", "lat", "lon"}
    assert rows[0]["url"] == "https://tueren.example.org/betrieb/betrieb-published"
    assert rows[0]["drop_in"] == "Mo 09:00-16:00"
    body = client.get("/api/v1/employers.csv").data.decode()
    assert not [value for value in PRIVATE_VALUES if value in body]


def test_csv_defuses_spreadsheet_formulas_but_keeps_phone_numbers(app, client, publish):
    publish(name='=HYPERLINK("http://evil.example","x")', public_phone="+49 234 123456")
    [row] = csv_rows(client)
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert row["public_phone"] == "+49 234 123456"


def test_gzip_etag_and_not_modified(client, publish):
    publish()
    plain = client.get("/api/v1/employers.geojson")
    zipped = client.get("/api/v1/employers.geojson", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] != zipped.headers["ETag"]
    for response in (plain, zipped):
        again = client.get("/api/v1/employers.geojson", headers={
            "If-None-Match": response.headers["ETag"], "Accept-Encoding": "gzip"})
        assert again.status_code == 304
        assert again.data == b""
    since = client.get("/api/v1/employers.geojson",
                       headers={"If-Modified-Since": plain.headers["Last-Modified"]})
    assert since.status_code == 304


def test_gzip_refused_with_q_zero(client, publish):
    publish()
    response = client.get("/api/v1/employers.csv", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers
    assert response.data.startswith("\ufeffslug,url,name".encode())


def _set_status(app, slug: str, change) -> None:
    with app.app_context():
        employer = db.session.scalar(db.select(Employer).where(Employer.slug == slug))
        change(employer)
        db.session.commit()


def test_cache_is_invalidated_on_approve_pause_and_withdraw(app, client, make_employer):
    make_employer(status=Status.PENDING, slug="neu")
    bump_version(app)
    first = client.get("/api/v1/employers.geojson")
    assert json.loads(first.data)["features"] == []

    _set_status(app, "neu", lambda e: operations.set_status(e, Status.PUBLISHED, "staff:1"))
    approved = client.get("/api/v1/employers.geojson",
                          headers={"If-None-Match": first.headers["ETag"]})
    assert approved.status_code == 200
    assert [f["id"] for f in json.loads(approved.data)["features"]] == ["neu"]
    assert [row["slug"] for row in csv_rows(client)] == ["neu"]

    _set_status(app, "neu", operations.pause)
    assert features(client) == [] and csv_rows(client) == []
    _set_status(app, "neu", operations.resume)
    assert len(features(client)) == 1
    _set_status(app, "neu", operations.withdraw)
    assert features(client) == [] and csv_rows(client) == []
    assert client.get("/karte").data.count(b'class="card"') == 0


def test_a_second_worker_sees_changes_made_by_another(app, client, migrated_database, make_employer):
    """Two app instances on one database stand for two gunicorn workers."""
    employer = make_employer(status=Status.PENDING)
    assert features(client) == []
    other = create_app(base_config(app.config["SQLALCHEMY_DATABASE_URI"], None))
    with other.app_context():
        operations.set_status(db.session.get(Employer, employer.id), Status.PUBLISHED, "staff:1")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert len(features(client)) == 1


@pytest.mark.parametrize("path", ["/api/v1/employers.geojson", "/api/v1/employers.csv"])
def test_open_data_is_documented_and_linked(client, path):
    docs = client.get("/offene-daten")
    assert docs.status_code == 200
    assert path.encode() in docs.data
    assert b"dl-de/by-2-0" in docs.data


CSV_HEADER = [
    "slug", "url", "name", "sector", "description", "street", "postal_code", "city", "district",
    "quarter", "lat", "lon", "offers", "occupations", "languages", "drop_in", "ask_for",
    "step_free", "website", "public_phone", "public_email", "is_subsidiary", "location_source",
]
GEOJSON_PROPERTY_ORDER = [c for c in CSV_HEADER if c not in ("slug", "url", "lat", "lon")]


def test_open_data_columns_and_properties_keep_their_order(app, client, make_employer):
    make_employer(slug="tischlerei", name="Tischlerei", offers=["ausbildung", "praktikum"],
                  languages=["de", "tr"], step_free=True)
    bump_version(app)
    text = client.get("/api/v1/employers.csv").data.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == CSV_HEADER
    assert row == ["tischlerei", "https://tueren.example.org/betrieb/tischlerei", "Tischlerei",
                   "Handwerk", "", "Hauptstraße 1", "44787", "Bochum", "Mitte", "Südinnenstadt",
                   "51.4781", "7.219", "ausbildung;praktikum", "", "de;tr", "Mo 09:00-16:00", "",
                   "ja", "", "", "", "nein", ""]
    [feature] = features(client)
    assert list(feature["properties"]) == GEOJSON_PROPERTY_ORDER


def test_open_data_csv_has_no_formula_cell_whichever_separator_opens_it(app, client,
                                                                        make_employer):
    from tests.spreadsheet_attacks import ATTACKS, formula_cells

    make_employer(slug="angriff", **ATTACKS, public_phone="+49 234 1")
    bump_version(app)
    raw = client.get("/api/v1/employers.csv").data
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert not formula_cells(text, allow_numbers=True)
    [row] = csv_rows(client)
    assert row["name"] == 'Müller, \'=HYPERLINK("http://evil.example","Klick")'
    assert row["description"] == "Wir backen; '=cmd|'/c calc'!A1\n'@SUM(1+1)\r'-2+3"
    assert row["public_phone"] == "+49 234 1" and row["street"] == "Hauptstraße 1;'\t'=2"
