"""Stickers where people get them: the employer's self-service page and the CLI batch."""

from __future__ import annotations

from pypdf import PdfReader

from campaign.core import tokens
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.test_stickers import decode, pdf_text, poppler, rasterize  # noqa: F401 (fixture)


def manage_path(app, employer) -> str:
    with app.test_request_context():
        from campaign.core import links

        fresh = db.session.get(Employer, employer.id)
        return links.manage_url(fresh).replace(app.config["PUBLIC_URL"], "")


def test_employer_downloads_a_sticker_whose_qr_is_the_short_link(client, app, make_employer,
                                                                 poppler, tmp_path):  # noqa: F811
    employer = make_employer(status=Status.PUBLISHED, name='Müller & Söhne "Ü" <GmbH>\\..')
    path = manage_path(app, employer)
    page = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "Ihr Aufkleber" in page
    response = client.get(path + "/aufkleber.pdf?format=a6", headers={"Host": "evil.example"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.count("filename*=UTF-8''") == 1
    assert "\r" not in disposition and "\n" not in disposition and "/" not in disposition
    assert "M%C3%BCller" in disposition
    (first, briefing) = rasterize(response.data, 200, tmp_path)
    (code,) = decode(first)
    assert code.text == f"https://tueren.example.org/t/{employer.qr_code}"
    text = pdf_text(response.data)
    assert 'Müller & Söhne "Ü" <GmbH>\\..' in text
    assert "Empfang" in text  # the reception briefing page
    assert len(PdfReader(__import__("io").BytesIO(response.data)).pages) == 2


def test_unpublished_entry_has_no_sticker(client, app, make_employer):
    employer = make_employer(status=Status.PENDING)
    path = manage_path(app, employer)
    assert "Ihr Aufkleber" not in client.get(path).get_data(as_text=True)
    assert client.get(path + "/aufkleber.pdf").status_code == 404


def test_unknown_format_is_404(client, app, make_employer):
    path = manage_path(app, make_employer(status=Status.PUBLISHED))
    client.get(path)
    assert client.get(path + "/aufkleber.pdf?format=../../etc").status_code == 404


def test_unprintable_name_gets_an_explanation_not_a_broken_pdf(client, app, make_employer):
    path = manage_path(app, make_employer(status=Status.PUBLISHED, name="مطعم الشام"))
    client.get(path)
    response = client.get(path + "/aufkleber.pdf")
    assert response.status_code == 409
    assert "lateinischer Schrift" in response.get_data(as_text=True)


def test_sticker_link_needs_the_session_of_a_valid_link(client, app, make_employer):
    employer = make_employer(status=Status.PUBLISHED)
    with app.test_request_context():
        token = tokens.make(tokens.MANAGE, {"e": employer.id, "n": "stale", "t": 600})
    assert client.get(f"/mein-eintrag/{token}/aufkleber.pdf").status_code == 400


def test_cli_writes_one_pdf_for_all_published_entries(runner, app, make_employer, tmp_path,
                                                      poppler):  # noqa: F811
    for number in range(5):
        make_employer(status=Status.PUBLISHED, name=f"Betrieb Nummer {number}")
    make_employer(status=Status.PENDING, name="Noch in Prüfung")
    make_employer(status=Status.PUBLISHED, name="東京寿司")
    out = tmp_path / "batch.pdf"
    result = runner.invoke(args=["campaign", "stickers", "--out", str(out), "--format", "a6"])
    assert result.exit_code == 0, result.output
    assert "5 Aufkleber" in result.output
    assert "lässt sich nicht drucken" in result.output
    data = out.read_bytes()
    assert len(PdfReader(str(out)).pages) == 5
    text = pdf_text(data)
    assert "Betrieb Nummer 4" in text and "Noch in Prüfung" not in text
    with app.app_context():
        codes = {e.qr_code for e in db.session.scalars(db.select(Employer)).all()}
    decoded = {decode(image)[0].text.rsplit("/", 1)[1] for image in rasterize(data, 100, tmp_path)}
    assert decoded <= codes and len(decoded) == 5


def test_cli_a4_sheet_and_bleed(runner, make_employer, tmp_path):
    for number in range(6):
        make_employer(status=Status.PUBLISHED, name=f"Bogen {number}")
    out = tmp_path / "sheet.pdf"
    result = runner.invoke(args=["campaign", "stickers", "--out", str(out), "--format",
                                 "a4-sheet", "--bleed"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    assert reader.pages[0].trimbox != reader.pages[0].mediabox


def test_cli_says_when_nothing_matches(runner, tmp_path):
    result = runner.invoke(args=["campaign", "stickers", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "Keine passenden Einträge" in result.output
