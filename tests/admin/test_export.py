"""Staff CSV export: Excel-friendly, formulas defused, private fields only for reviewers."""

from __future__ import annotations

import csv
import io

import pytest

from campaign.core.spreadsheet import defuse
from campaign.models import Status
from tests.admin.helpers import post


def export(client, data=None, query=""):
    response = post(client, "/admin/export.csv" + query, data or {})
    assert response.status_code == 200
    return response


def rows(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+49 234", "'+49 234"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tTab", "'\tTab"), ("\rX", "'\rX"), ("Bäckerei", "Bäckerei"), (None, ""), (5, "5"),
    ("Müller, =1+1", "Müller, '=1+1"), ("a;@SUM(A1)", "a;'@SUM(A1)"), ("a\n+1", "a\n'+1"),
    ('x; "=1', 'x; "\'=1'), ("Ausbildung, Praktikum", "Ausbildung, Praktikum"),
])
def test_cells_that_start_like_formulas_are_defused(value, expected):
    assert defuse(value) == expected


def test_export_is_utf8_with_bom_semicolons_and_defused(reviewer, make_employer):
    make_employer(name='=HYPERLINK("http://evil.example","Klick")', public_phone="+49 234 1",
                  contact_email="@chef@firma.de", description="x")
    make_employer(name="Müller; Söhne \"GmbH\"", quarter="Hamme")
    response = export(reviewer)
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''" in disposition
    table = rows(response)
    header, first, second = table[0], table[1], table[2]
    assert "E-Mail Ansprechperson" in header
    cells = dict(zip(header, second, strict=True)) | {}
    assert cells["Name"] == '\'=HYPERLINK("http://evil.example","Klick")'
    assert cells["Telefon öffentlich"] == "'+49 234 1"
    assert dict(zip(header, first, strict=True))["Name"] == "Müller; Söhne \"GmbH\""


def test_export_of_a_selection_and_of_filtered_lists(reviewer, make_employer):
    first = make_employer(name="Eins")
    make_employer(name="Zwei", status=Status.PENDING)
    selected = rows(export(reviewer, {"ids": [first.id]}))
    assert [r[1] for r in selected[1:]] == ["Eins"]
    filtered = rows(export(reviewer, query="?status=pending"))
    assert [r[1] for r in filtered[1:]] == ["Zwei"]


def test_export_is_audited(app, reviewer, make_employer):
    make_employer()
    export(reviewer)
    page = reviewer.get("/admin/protokoll?action=exported").get_data(as_text=True)
    assert "exported" in page and "count: 1" in page


STAFF_COLUMNS = [
    "ID", "Name", "Status", "Branche", "Straße", "PLZ", "Ort", "Stadtbezirk", "Stadtteil",
    "Breitengrad", "Längengrad", "Angebote", "Berufe", "Sprachen", "Ohne Termin", "Fragen nach",
    "Stufenlos", "Internetseite", "Telefon öffentlich", "E-Mail öffentlich",
    "Tochtergesellschaft", "Freigegeben am",
]
PRIVATE_COLUMNS = ["Ansprechperson", "E-Mail Ansprechperson", "Telefon Ansprechperson",
                   "Aufkleber", "Welle", "Einwilligung am", "Interne Notiz"]


def test_export_columns_and_cells_keep_their_order_and_format(app, reviewer, viewer,
                                                              make_employer):
    from datetime import datetime

    from campaign.extensions import db
    from campaign.models import Employer

    employer = make_employer(name="Tischlerei Holz", public_phone="0234 1", step_free=True,
                             occupations="Tischlerin", ask_for="Frau Yilmaz", lat=51.5, lon=7.25,
                             offers=["ausbildung", "praktikum"], languages=["de", "tr"],
                             published_at=datetime(2026, 5, 4, 10, 0))
    with app.app_context():
        private = db.session.get(Employer, employer.id).private
        private.contact_phone, private.internal_notes = "0170 1", "Notiz"
        private.consent_confirmed_at = datetime(2026, 5, 1, 9, 0)
        db.session.commit()
    header, row = rows(export(reviewer))
    assert header == STAFF_COLUMNS + PRIVATE_COLUMNS
    assert row == [
        str(employer.id), "Tischlerei Holz", "Freigegeben", "Handwerk", "Hauptstraße 1", "44787",
        "Bochum", "Mitte", "Südinnenstadt", "51,5", "7,25", "Ausbildung, Praktikum", "Tischlerin",
        "Deutsch, Türkçe", "Montag 09:00–16:00", "Frau Yilmaz", "ja", "", "0234 1", "", "nein",
        "04.05.2026", "Erika Muster", "kontakt1@firma1.de", "0170 1", "Kein Aufkleber",
        "", "01.05.2026", "Notiz"]
    assert rows(export(viewer))[0] == STAFF_COLUMNS


def test_no_cell_starts_a_formula_whichever_separator_opens_the_file(reviewer, make_employer):
    from tests.spreadsheet_attacks import ATTACKS, formula_cells

    make_employer(**ATTACKS, public_phone="+49 234 1")
    raw = export(reviewer).get_data().decode("utf-8-sig")
    assert not formula_cells(raw)
    [header, row] = list(csv.reader(io.StringIO(raw, newline=""), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Name"] == 'Müller, \'=HYPERLINK("http://evil.example","Klick")'
    assert cells["Fragen nach"] == "Frau Öztürk\t'@x, '-y"
    assert cells["Breitengrad"] == "51,4781"  # quoted: it contains the other separator
    assert '"51,4781"' in raw



def add_entries(app, count: int) -> None:
    """count entries with contact data, three of every four in one of three waves."""
    from campaign.extensions import db
    from campaign.models import Employer, EmployerPrivate, Wave

    with app.app_context():
        db.session.execute(db.delete(EmployerPrivate))
        db.session.execute(db.delete(Employer))
        db.session.execute(db.delete(Wave))
        waves = [Wave(name=f"Welle {n}") for n in range(3)]
        for n in range(count):
            employer = Employer(name=f"Betrieb {n:03d}", slug=f"betrieb-{n}", offers=["praktikum"],
                                status=Status.PUBLISHED, languages=["de"])
            employer.private = EmployerPrivate(contact_email=f"k{n}@firma.de",
                                               wave=waves[n % 4] if n % 4 < 3 else None)
            db.session.add(employer)
        db.session.commit()


def counted_export(app, client) -> tuple[int, list[list[str]]]:
    from tests.admin.helpers import csrf_token
    from tests.query_count import counted_queries

    token = csrf_token(client, "/admin/passwort")
    with counted_queries(app) as statements:
        response = client.post("/admin/export.csv", data={"csrf_token": token})
        assert response.status_code == 200 and response.is_streamed
        table = rows(response)  # the body is made while it is read: count that too
    return len(statements), table


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_export_sends_as_many_queries_for_300_entries_as_for_30(app, request, role):
    client = request.getfixturevalue(role)
    add_entries(app, 30)
    few, table = counted_export(app, client)
    assert len(table) == 31
    add_entries(app, 300)
    many, table = counted_export(app, client)
    assert many == few, f"{few} queries for 30 entries, {many} for 300"
    header, body = table[0], table[1:]
    cells = [dict(zip(header, line, strict=True)) for line in body]
    assert sorted(c["Name"] for c in cells) == [f"Betrieb {n:03d}" for n in range(300)]
    if role == "viewer":
        assert header == STAFF_COLUMNS
        return
    assert header == STAFF_COLUMNS + PRIVATE_COLUMNS
    for c in cells:
        n = int(c["Name"].removeprefix("Betrieb "))
        assert c["E-Mail Ansprechperson"] == f"k{n}@firma.de"
        assert c["Welle"] == (f"Welle {n % 4}" if n % 4 < 3 else "")
        assert c["Angebote"] == "Praktikum" and c["Aufkleber"] == "Kein Aufkleber"
