"""The panel against gunicorn (2 workers) with a real SMTP server and a real browser."""

from __future__ import annotations

import re
import secrets
import threading

import pytest

from campaign.core.text import casefold_email
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Role, StaffUser, Status
from campaign.staff.passwords import hash_password
from tests.admin.helpers import PASSWORD
from tests.browser_support import axe_violations, csp_violations, watched_page
from tests.signup_data import signup_form
from tests.support import Browserless, hidden_inputs, links_in, text_of

pytestmark = pytest.mark.e2e


def add_staff(live_app, email: str, role: Role = Role.REVIEWER) -> str:
    with live_app.app_context():
        if not db.session.scalar(db.select(StaffUser.id).where(StaffUser.email == email)):
            db.session.add(StaffUser(email=email, password_hash=hash_password(PASSWORD), role=role))
            db.session.commit()
        db.session.remove()
    return email


def add_pending(live_app, name: str) -> int:
    with live_app.app_context():
        employer = Employer(name=name, slug=casefold_email(name).replace(" ", "-"),
                            status=Status.PENDING, sector="Handel", street="Markt 1",
                            postal_code="44787", city="Bochum", district="Mitte", quarter="Hamme",
                            offers=["praktikum"], drop_in={"opening_hours": True, "slots": []})
        address = f"{employer.slug}@firma.example"
        employer.private = EmployerPrivate(contact_email=address, contact_email_key=address,
                                           contact_name="Kim")
        db.session.add(employer)
        db.session.commit()
        employer_id = employer.id
        db.session.remove()
    return employer_id


def staff_page(browser, live_server, email: str):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="de-DE")
    page = watched_page(context)
    page.goto(live_server.url + "/admin/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_review_journey_from_sign_up_to_public_page(live_server, live_app, browser, smtp):
    address = f"journey-{live_server.backend}@werkstatt.example"
    employer = Browserless(live_server.url)
    status, _ = employer.sign_up(signup_form(name=f"Werkstatt {live_server.backend}",
                                             contact_email=address))
    assert status == 200
    confirm_link = links_in(text_of(wait_for_mail(smtp, address, 1)[0]), "/bestaetigen/")[0]
    path = confirm_link.removeprefix(live_server.url)
    _, confirm_page = employer.get(path)
    assert employer.post(path, hidden_inputs(confirm_page))[0] == 200

    page = staff_page(browser, live_server, add_staff(live_app, "pruefer@stadt.example"))
    page.get_by_role("link", name="Prüfen", exact=True).first.click()
    page.get_by_role("link", name=re.compile(f"Prüfen\\W+Werkstatt {live_server.backend}")).click()
    page.get_by_label("Freigeben").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.wait_for_url(live_server.url + "/admin/pruefen")
    assert "ist freigegeben und jetzt auf der Karte sichtbar" in page.content()
    assert csp_violations(page) == []

    approval = wait_for_mail(smtp, address, 2)[1]
    public_link = links_in(text_of(approval), "/betrieb/")[0]
    assert Browserless(live_server.url).get(public_link.removeprefix(live_server.url))[0] == 200
    page.context.close()


def wait_for_mail(smtp, address: str, count: int):
    import time

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        mails = smtp.to(address)
        if len(mails) >= count:
            return mails
        time.sleep(0.1)
    raise AssertionError(f"expected {count} mail(s) to {address}, got {len(smtp.to(address))}")


def signed_in(live_server, email: str) -> Browserless:
    client = Browserless(live_server.url)
    _, page = client.get("/admin/login")
    client.post("/admin/login", {**hidden_inputs(page), "email": email, "password": PASSWORD})
    return client


def test_two_staff_approving_at_once_exactly_one_wins(live_server, live_app, smtp):
    employer_id = add_pending(live_app, f"Gleichzeitig {live_server.backend}")
    email = add_staff(live_app, "schnell@stadt.example")
    staff = [signed_in(live_server, email), signed_in(live_server, email)]
    forms = [hidden_inputs(s.get(f"/admin/pruefen/{employer_id}")[1]) for s in staff]
    start, results = threading.Barrier(2), [None, None]

    def approve(number: int) -> None:
        start.wait()
        results[number] = staff[number].post(f"/admin/pruefen/{employer_id}/entscheidung",
                                             {**forms[number], "decision": "approve"})[1]

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [r for r in results if "ist freigegeben" in r]
    lost = [r for r in results if "gerade von jemand anderem bearbeitet" in r]
    assert (len(won), len(lost)) == (1, 1)
    slug = f"gleichzeitig-{live_server.backend}"
    assert len(wait_for_mail(smtp, f"{slug}@firma.example", 1)) == 1


@pytest.mark.pages_only
@pytest.mark.parametrize("path", ["/admin/login", "/admin/pruefen", "/admin/eintraege",
                                  "/admin/eintraege/{id}", "/admin/pruefen/{id}", "/admin/",
                                  "/admin/eintraege/{id}/bearbeiten", "/admin/wellen/import",
                                  "/admin/team", "/admin/protokoll", "/admin/aufkleber",
                                  "/admin/meldungen", "/admin/zwei-faktor"])
def test_staff_pages_pass_axe(live_server, live_app, browser, path):
    employer_id = add_pending(live_app, f"Axe {live_server.backend} {secrets.token_hex(3)}")
    page = staff_page(browser, live_server, add_staff(live_app, "axe@stadt.example", Role.ADMIN))
    page.goto(live_server.url + path.format(id=employer_id))
    assert axe_violations(page) == []
    assert csp_violations(page) == []
    page.context.close()


def test_the_decision_works_by_keyboard_alone(live_server, live_app, browser):
    employer_id = add_pending(live_app, f"Tastatur {live_server.backend}")
    page = staff_page(browser, live_server, add_staff(live_app, "tasten@stadt.example"))
    page.goto(f"{live_server.url}/admin/pruefen/{employer_id}")
    page.get_by_label("Ablehnen").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Nachricht an den Betrieb").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.type("Wir finden die Adresse nicht.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/admin/pruefen")
    assert "ist abgelehnt" in page.content()
    page.context.close()


def test_wave_import_runs_in_the_background_of_gunicorn_and_the_page_follows_it(
        live_server, live_app, browser, smtp, tmp_path):
    tag = f"welle-{live_server.backend}-{secrets.token_hex(3)}"
    rows = 40
    csv_path = tmp_path / "welle.csv"
    csv_path.write_text("Name;E-Mail;Straße;PLZ;Stadtteil\n" + "".join(
        f"Betrieb {tag} {n};{tag}-{n}@firma.example;Hofstraße {n};44809;Hamme\n"
        for n in range(rows)), encoding="utf-8")
    page = staff_page(browser, live_server, add_staff(live_app, "admin-welle@stadt.example",
                                                      Role.ADMIN))
    page.goto(live_server.url + "/admin/wellen/import")
    page.get_by_label("Name der Welle").fill(tag)
    page.set_input_files("#file", str(csv_path))
    page.get_by_role("button", name="Prüfen und einladen").click()
    page.wait_for_url(re.compile(r".*/admin/auftraege/\d+$"))
    page.get_by_text(f"Fertig: {rows} von {rows} Zeilen verarbeitet.").wait_for(timeout=60000)
    assert page.locator("tbody tr").count() == rows
    assert page.get_by_text("Ungefähr: Mitte des Stadtteils oder des Postleitzahlgebiets").count() \
        == rows  # the live server has no geocoder: the quarter's centre
    assert axe_violations(page) == [] and csp_violations(page) == [] and page.console_errors == []
    addresses = {f"{tag}-{n}@firma.example" for n in range(rows)}
    wait_for_mail(smtp, f"{tag}-{rows - 1}@firma.example", 1)
    received = [m["To"] for m in smtp.messages if m["To"] in addresses]
    assert sorted(received) == sorted(addresses)  # each invitation exactly once


def test_a_sticker_batch_runs_in_the_background_of_gunicorn_by_keyboard_alone(
        live_server, live_app, browser):
    from pypdf import PdfReader

    tag = f"Stapel{secrets.token_hex(3)}"  # short: a long word would be split on the sticker
    names = [f"{tag} Betrieb {n}" for n in range(12)]
    ids = [add_pending(live_app, name) for name in names]
    with live_app.app_context():
        db.session.execute(db.update(Employer).where(Employer.id.in_(ids))
                           .values(status=Status.PUBLISHED))
        db.session.commit()
        db.session.remove()
    page = staff_page(browser, live_server, add_staff(live_app, "aufkleber@stadt.example",
                                                      Role.VIEWER))
    page.goto(f"{live_server.url}/admin/aufkleber?q={tag}&status=published")
    assert "12 Einträge passen zur Auswahl" in page.content()
    page.get_by_label("Format").select_option("a6")
    page.get_by_role("button", name="PDF mit allen Aufklebern erstellen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/admin/aufkleber/auftraege/\d+$"))
    link = page.get_by_role("link", name="PDF herunterladen (12 Aufkleber, A6)")
    link.wait_for(timeout=60000)  # the page follows the job and shows the link when done
    assert page.locator("[role=status]#job-text").inner_text() == "Fertig: 12 Aufkleber erstellt."
    assert axe_violations(page) == [] and csp_violations(page) == [] and page.console_errors == []
    with page.expect_download() as download:
        link.focus()
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "aufkleber-a6-12.pdf"
    reader = PdfReader(download.value.path())
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 12 and all(name in text for name in names), text
    page.context.close()
