"""Sticker downloads from the panel: one entry, or a batch chosen with the list's filters."""

from __future__ import annotations

from campaign.models import Status
from tests.admin.test_review import with_private
from tests.admin.test_sticker_batches import downloads, start_batch


def pdf_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def test_single_sticker_downloads_as_pdf_with_utf8_file_name(viewer, make_employer):
    employer = make_employer(name="Bäckerei Größe")
    response = viewer.get(f"/admin/eintraege/{employer.id}/aufkleber.pdf?format=a6")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "filename*=UTF-8''aufkleber-B%C3%A4ckerei-Gr%C3%B6%C3%9Fe-a6.pdf" in (
        response.headers["Content-Disposition"])


def test_batch_follows_the_filters(app, viewer, make_employer):
    for _ in range(3):
        make_employer()
    done = make_employer()
    make_employer(Status.PENDING)
    with_private(app, done.id, sticker_status="on_door")
    page = viewer.get("/admin/aufkleber").get_data(as_text=True)
    assert "3 Einträge passen zur Auswahl" in page
    assert 'method="post" action="/admin/aufkleber/auftraege"' in page
    assert '<input type="hidden" name="sticker" value="needed">' in page
    response = start_batch(viewer, "a6", sticker="needed")
    [link] = downloads(viewer, response.headers["Location"])
    pdf = viewer.get(link)
    assert pdf.status_code == 200 and pdf_pages(pdf.data) == 3
    assert "aufkleber-a6-3.pdf" in pdf.headers["Content-Disposition"]


def test_unprintable_names_are_named_instead_of_printed(app, viewer, make_employer):
    make_employer(name="مطعم السلام")
    response = start_batch(viewer, "a6", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert "Diese Namen lassen sich nicht drucken: مطعم السلام" in page


def test_many_unprintable_names_are_counted_after_the_first_ten(app, viewer, make_employer):
    for n in range(12):
        make_employer(name=f"東京 {n}")
    page = start_batch(viewer, "a6", follow_redirects=True).get_data(as_text=True)
    assert "東京 11, 東京 10, 東京 9" in page and "東京 2 und 2 weitere." in page
    assert "東京 0" not in page


def test_empty_selection_says_so(viewer):
    page = start_batch(viewer, "a6", status="paused", follow_redirects=True)
    assert "Keine Einträge passen zu dieser Auswahl" in page.get_data(as_text=True)


def test_the_old_batch_link_leads_to_the_page_with_the_same_filters(viewer):
    response = viewer.get("/admin/aufkleber.pdf?status=paused&format=a6")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/aufkleber?status=paused")
