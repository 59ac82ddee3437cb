"""Wave imports as background jobs: checked before queuing, geocoded row by row, progress and
per-row results on a page, and never an invitation twice, even when a runner dies mid-way."""

from __future__ import annotations

import io
import json
import time

import pytest

from campaign.entries import imports
from campaign.extensions import db
from campaign.jobs import queue, runner
from campaign.models import Employer, Job, JobItem, JobState, OutboxMail, utcnow
from tests.admin.helpers import post
from tests.admin.test_import import GOOD, count, upload
from tests.geocoder_server import nominatim

ROWS = 6
MANY = "Name;E-Mail;Straße;PLZ;Stadtteil\n" + "".join(
    f"Betrieb {n};kontakt{n}@firma{n}.example;Alleestraße {n};44793;Kruppwerke\n"
    for n in range(1, ROWS + 1))


@pytest.fixture
def app_config(geocoder):
    return {"GEOCODER_URL": geocoder.url + "/search", "GEOCODER_TIMEOUT": 0.5}


def upload_bytes(client, data: bytes, wave: str = "Welle"):
    return post(client, "/admin/wellen/import",
                {"wave": wave, "file": (io.BytesIO(data), "welle.csv")},
                content_type="multipart/form-data")


def only_job(app) -> Job:
    with app.app_context():
        job = db.session.scalars(db.select(Job)).one()
        db.session.expunge(job)
        return job


def test_upload_runs_a_job_that_geocodes_each_row_and_shows_per_row_results(
        app, admin, geocoder, smtp):
    response = upload(admin, MANY)
    assert response.status_code == 303 and "/admin/auftraege/" in response.headers["Location"]
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Fertig: {ROWS} von {ROWS} Zeilen verarbeitet." in page
    assert "Die Datei ist in Ordnung: 6 Betriebe." in page
    assert page.count("Aus der Adresse gesucht (Geocoder)") == ROWS
    assert "Zeile" in page and ">Betrieb 3</a>" in page
    assert len(geocoder.requests) == ROWS
    assert geocoder.requests[0]["query"]["q"] == ["Alleestraße 1, 44793 Bochum"]
    with app.app_context():
        employers = db.session.scalars(db.select(Employer)).all()
        assert {(e.lat, e.lon, e.location_source) for e in employers} == {
            (51.4801, 7.2301, "geocoded")}
    assert len(smtp.wait_for(ROWS)) == ROWS
    status = admin.get(f"/admin/auftraege/{only_job(app).id}.json").get_json()
    assert status == {"state": "done", "done": ROWS, "total": ROWS, "finished": True,
                      "counts": {"invited": ROWS}, "page": f"/admin/auftraege/{only_job(app).id}"}


def test_rows_the_geocoder_cannot_place_get_the_quarter_centre(app, admin, geocoder):
    geocoder.answer = nominatim(48.1, 11.5)  # Munich: outside the city
    upload(admin, MANY)
    with app.app_context():
        points = {(e.lat, e.lon, e.location_source)
                  for e in db.session.scalars(db.select(Employer))}
    assert points == {(51.479, 7.193, "approximate")}


def test_the_job_page_refreshes_itself_without_javascript_while_running(app, admin):
    app.config["JOB_RUN_IN_BACKGROUND"] = True
    runner._background.acquire()  # hold the background runner back: the job stays queued
    try:
        response = upload(admin, MANY)
        page = admin.get(response.headers["Location"]).get_data(as_text=True)
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
        assert "Wartet auf den Start" in page and 'max="6" value="0"' in page
        status = admin.get(response.headers["Location"] + ".json").get_json()
        assert (status["state"], status["done"], status["finished"]) == ("queued", 0, False)
    finally:
        runner._background.release()


def test_a_background_runner_thread_finishes_the_job(app, admin, smtp):
    app.config["JOB_RUN_IN_BACKGROUND"] = True
    location = upload(admin, MANY).headers["Location"]
    deadline = time.monotonic() + 30
    while not (status := admin.get(location + ".json").get_json())["finished"]:
        assert time.monotonic() < deadline, status
        time.sleep(0.1)
    assert (status["state"], status["done"]) == ("done", ROWS)
    assert len(smtp.wait_for(ROWS)) == ROWS


def test_running_a_finished_job_again_sends_no_invitation_twice(app, admin, runner_cli, smtp):
    upload(admin, GOOD)
    assert len(smtp.wait_for(2)) == 2
    job = only_job(app)
    with app.app_context():  # as if the runner died after the last row, before "done"
        db.session.execute(db.update(Job).values(state=JobState.RUNNING, lease_until=utcnow()))
        db.session.commit()
    result = runner_cli.invoke(args=["campaign", "run-jobs"])
    assert result.exit_code == 0 and "1 Auftrag/Aufträge ausgeführt." in result.output
    assert only_job(app).state == JobState.DONE and only_job(app).id == job.id
    assert count(app, Employer) == 2 and count(app, OutboxMail) == 2
    time.sleep(0.3)
    assert len(smtp.messages) == 2


def test_a_job_taken_over_mid_way_invites_every_row_exactly_once(app, admin, smtp, monkeypatch):
    app.config["JOB_RUN_IN_BACKGROUND"] = True
    runner._background.acquire()  # queue only; this test runs the runners by hand
    try:
        upload(admin, MANY)
    finally:
        runner._background.release()
    crash_after = 2
    original = imports._import_row

    def dying_runner(row, position, *args):
        if position == crash_after:
            raise KeyboardInterrupt  # the worker is killed: nothing is recorded or caught
        return original(row, position, *args)

    with app.app_context():
        first = queue.claim_next("runner-a")
        assert queue.claim_next("runner-b") is None  # one job, one runner
        monkeypatch.setattr(imports, "_import_row", dying_runner)
        with pytest.raises(KeyboardInterrupt):
            runner.run_job(first, "runner-a")
        db.session.rollback()
        monkeypatch.setattr(imports, "_import_row", original)
        assert queue.claim_next("runner-b") is None  # the lease still runs
        db.session.execute(db.update(Job).values(lease_until=utcnow()))  # ... until it ran out
        db.session.commit()
        assert runner.run_pending() == 1
        job = db.session.get(Job, first.id)
        assert (job.state, job.done, job.attempts) == (JobState.DONE, ROWS, 2)
        positions = db.session.scalars(db.select(JobItem.position)).all()
        assert sorted(positions) == list(range(ROWS))
        with pytest.raises(queue.LeaseLost):  # the first runner, should it wake up, stops
            queue.Steps(first, "runner-a").record(0, "invited")
    assert count(app, Employer) == ROWS and count(app, OutboxMail) == ROWS
    recipients = [m["To"] for m in smtp.wait_for(ROWS)]
    time.sleep(0.3)
    assert sorted(recipients) == sorted({m["To"] for m in smtp.messages})
    assert len(smtp.messages) == ROWS


def test_a_row_whose_address_signed_up_meanwhile_is_skipped_and_said_so(
        app, admin, make_employer):
    app.config["JOB_RUN_IN_BACKGROUND"] = True
    runner._background.acquire()
    try:
        upload(admin, MANY)
    finally:
        runner._background.release()
    make_employer(contact_email="kontakt4@firma4.example")
    with app.app_context():
        runner.run_pending()
    page = admin.get(f"/admin/auftraege/{only_job(app).id}").get_data(as_text=True)
    assert "Übersprungen: Für kontakt4@firma4.example gibt es inzwischen schon einen Eintrag" in (
        page)
    assert count(app, Employer) == ROWS  # five invited plus the one that signed up


@pytest.mark.parametrize(("content", "message"), [
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4, "Das ist eine Excel-Datei"),
    (bytes(range(256)) * 16, "Die Datei lässt sich nicht als Text lesen"),
    (b"name;contact_email\nFirma\x00;a@b.example\n", "Die Datei lässt sich nicht als Text lesen"),
    (b"name;contact_email\nFirma;a@b.example;\"" + b"x" * 200_000 + b'"\n',
     "ein Feld viel zu lang (über 131.072 Zeichen)"),
])
def test_files_that_are_not_csv_get_a_clear_message_and_nothing_is_queued(
        app, admin, content, message):
    response = upload_bytes(admin, content)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nichts importiert" in page and message in page
    assert count(app, Job) == count(app, Employer) == 0


def test_a_long_value_within_the_csv_limit_is_refused_briefly(app, admin):
    content = f"name;contact_email;stadtteil\nFirma;a@b.example;{'X' * 100_000}\n"
    page = upload(admin, content).get_data(as_text=True)
    assert "Den Stadtteil „" + "X" * 60 + "…“ gibt es nicht" in page
    assert "X" * 61 not in page


def test_excel_for_mac_line_endings_are_read(app, admin):
    content = "Name;E-Mail;PLZ\rBäckerei Mac;mac@firma.example;44787\rZweite;zwei@firma.example;\r"
    assert upload(admin, content).status_code == 303
    with app.app_context():
        names = db.session.scalars(db.select(Employer.name).order_by(Employer.id)).all()
    assert names == ["Bäckerei Mac", "Zweite"]


def test_only_admins_see_job_pages(app, admin, viewer, reviewer):
    location = upload(admin, GOOD).headers["Location"]
    for client in (viewer, reviewer):
        assert client.get(location).status_code == 403
        assert client.get(location + ".json").status_code == 403
    assert admin.get("/admin/auftraege/999999").status_code == 404
    assert json.loads(admin.get(location + ".json").get_data())["finished"] is True


@pytest.fixture
def runner_cli(app):
    return app.test_cli_runner()
