"""Waves: CSV import all-or-nothing, invitation mails over SMTP, pre-filled sign-up, progress."""

from __future__ import annotations

import io

from campaign.entries import invitations
from campaign.entries.lifecycle import Details, find_by_contact_email
from campaign.extensions import db
from campaign.models import Employer, OutboxMail, Status, Wave
from tests.admin.helpers import post
from tests.support import links_in, text_of

GOOD = (
    "name;contact_email;contact_name;street;postal_code;quarter;sector;is_subsidiary\r\n"
    "Stadtwerke Bochum;personal@stadtwerke.example;Frau Kaya;Ostring 28;44787;Kruppwerke;"
    "Energie und Umwelt;ja\r\n"
    "=HYPERLINK(\"x\");azubi@bogestra.example;;;;Hamme;;nein\r\n"
)
BROKEN = (
    "Name;E-Mail;PLZ;Stadtteil\n"
    "Gute Firma;gut@firma.example;44787;Hamme\n"
    ";ohne-name@firma.example;44787;Hamme\n"
    "Falsche Adresse;keine-adresse;10115;Atlantis\n"
    "Doppelt;gut@firma.example;;\n"
)


def upload(client, content: str, wave: str = "Tochtergesellschaften", encoding="utf-8-sig"):
    data = {"wave": wave, "file": (io.BytesIO(content.encode(encoding)), "welle.csv")}
    return post(client, "/admin/wellen/import", data, content_type="multipart/form-data")


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_broken_rows_are_reported_and_nothing_is_imported(app, admin, smtp):
    response = upload(admin, BROKEN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nichts importiert: Die Datei hat 5 Probleme" in page
    assert "Zeile 3: Der Name des Betriebs fehlt" in page
    assert "Zeile 4: Die E-Mail-Adresse „keine-adresse“ hat nicht das richtige Format" in page
    assert "Zeile 4: Die Postleitzahl „10115“ liegt nicht in Bochum" in page
    assert "Zeile 4: Den Stadtteil „Atlantis“ gibt es nicht" in page
    assert "Zeile 5: Die E-Mail-Adresse gut@firma.example steht mehrmals in der Datei" in page
    assert count(app, Employer) == count(app, Wave) == count(app, OutboxMail) == 0
    assert smtp.messages == []


def test_missing_columns_and_empty_files_are_explained(admin):
    assert "braucht die Spalten contact_email" in upload(admin, "name\nFirma\n").get_data(
        as_text=True)
    assert "Die Datei ist leer" in upload(admin, "").get_data(as_text=True)
    assert "Wählen Sie eine CSV-Datei aus" in post(admin, "/admin/wellen/import",
                                                   {"wave": "x"}).get_data(as_text=True)


def test_good_file_invites_every_company_by_mail(app, admin, smtp):
    response = upload(admin, GOOD)
    assert response.status_code == 303
    mails = smtp.wait_for(2)
    by_address = {m["To"]: m for m in mails}
    body = text_of(by_address["personal@stadtwerke.example"])
    assert "Stadtwerke Bochum" in body
    (link,) = links_in(body, "/mitmachen")
    assert link.startswith("https://tueren.example.org/mitmachen?einladung=")
    with app.app_context():
        employers = db.session.scalars(db.select(Employer).order_by(Employer.id)).all()
        assert [e.status for e in employers] == [Status.INVITED, Status.INVITED]
        assert employers[0].is_subsidiary and not employers[1].is_subsidiary
        assert employers[0].district == "Mitte" and employers[0].private.wave.name == (
            "Tochtergesellschaften")
        assert employers[1].name == '=HYPERLINK("x")'  # stored literally, defused on export
    page = admin.get("/admin/wellen").get_data(as_text=True)
    assert "Tochtergesellschaften" in page


def test_windows_excel_file_with_commas_is_read(app, admin):
    content = "Name,E-Mail,Ort\nBäckerei Größe,info@groesse.example,Bochum\n"
    assert upload(admin, content, encoding="cp1252").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(Employer.name)) == "Bäckerei Größe"


def test_invitation_prefills_and_then_becomes_a_registration(app, admin, smtp):
    upload(admin, GOOD)
    link = links_in(text_of(smtp.wait_for(2)[0]), "/mitmachen")[0]
    token = link.split("einladung=")[1]
    with app.test_request_context():
        prefill = invitations.invitation_prefill(token)
        db.session.commit()
        assert prefill["name"] == "Stadtwerke Bochum"
        assert prefill["contact_email"] == "personal@stadtwerke.example"
        assert invitations.invitation_prefill("kaputt") is None
        details = Details(public={"name": "Stadtwerke Bochum GmbH", "quarter": "Kruppwerke"},
                          private={"contact_name": "Frau Kaya"})
        employer = invitations.accept_invitation(details, "neu@stadtwerke.example", token)
        db.session.commit()
        assert employer.status == Status.UNCONFIRMED
        assert employer.private.contact_email == "neu@stadtwerke.example"
        assert invitations.invitation_prefill(token) is None  # used up
    assert smtp.wait_for(3)[2]["To"] == "neu@stadtwerke.example"
    page = admin.get("/admin/wellen").get_data(as_text=True)
    row = page[page.index("Tochtergesellschaften"):]
    assert [cell.split(">")[1] for cell in row.split('<td class="num"')[1:5]] == [
        "2</td", "1</td", "1</td", "0</td"]


def test_only_the_personal_link_accepts_an_invitation_not_the_address_alone(app, admin, smtp):
    upload(admin, GOOD)
    with app.test_request_context():
        details = Details(public={"name": "Übernommen"}, private={})
        assert invitations.accept_invitation(details, "AZUBI@bogestra.example", None) is None
        invited = find_by_contact_email("azubi@bogestra.example")
        assert invited.status == Status.INVITED and invited.name != "Übernommen"


def test_cli_import_reports_rows_and_invites(app, runner, smtp, tmp_path):
    broken = tmp_path / "kaputt.csv"
    broken.write_text(BROKEN, encoding="utf-8")
    result = runner.invoke(args=["campaign", "import", str(broken), "--wave", "Welle 1"])
    assert result.exit_code == 1
    assert "Zeile 3: Der Name des Betriebs fehlt" in result.output
    assert count(app, Employer) == 0
    good = tmp_path / "gut.csv"
    good.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["campaign", "import", str(good), "--wave", "Welle 1"])
    assert result.exit_code == 0, result.output
    assert "2 Betriebe in der Welle „Welle 1“ eingeladen, 2 Einladung(en) verschickt" in (
        result.output)
    assert len(smtp.wait_for(2)) == 2


def test_importing_a_known_address_again_is_refused(app, admin, make_employer):
    make_employer(contact_email="personal@stadtwerke.example")
    page = upload(admin, GOOD).get_data(as_text=True)
    assert "Zeile 2: Für personal@stadtwerke.example gibt es schon einen Eintrag" in page
