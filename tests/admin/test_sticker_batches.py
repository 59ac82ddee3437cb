"""Sticker batches as background jobs: started from /admin/aufkleber, rendered in chunks with
progress, downloaded when done, resumed after a crash, never cut off, cleaned up after a day."""

from __future__ import annotations

import io
import os
import re
import time
from html import unescape

import pytest
from pypdf import PdfReader

from campaign.extensions import db
from campaign.jobs import queue, runner
from campaign.models import Employer, Job, JobState, utcnow
from campaign.stickers import batches
from tests.admin.helpers import csrf_token, post

ENTRIES = 25
DOWNLOAD = re.compile(r'href="(/admin/aufkleber/auftraege/\d+/\d+\.pdf)"')


@pytest.fixture
def app_config():
    return {"STICKER_BATCH_CHUNK": 10}


def start_batch(client, fmt: str = "a6", follow_redirects: bool = False, **filters):
    """Submit the form on /admin/aufkleber; answers the 303 to the progress page (or back)."""
    return post(client, "/admin/aufkleber/auftraege",
                {"status": "published", **filters, "format": fmt},
                follow_redirects=follow_redirects)


def make_entries(make_employer, count: int = ENTRIES) -> list[str]:
    return [make_employer(name=f"Tischlerei Nummer {n}").name for n in range(1, count + 1)]


def downloads(client, page_path: str) -> list[str]:
    return DOWNLOAD.findall(client.get(page_path).get_data(as_text=True))


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def only_job(app) -> Job:
    with app.app_context():
        job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
        db.session.expunge(job)
        return job


@pytest.fixture
def held_runner(app):
    """Jobs stay queued (the background runner is held back) until the test runs them."""
    app.config["JOB_RUN_IN_BACKGROUND"] = True
    runner._background.acquire()
    yield
    runner._background.release()


def test_a_batch_runs_as_a_job_and_downloads_one_page_per_sticker(app, viewer, make_employer):
    names = make_entries(make_employer)
    response = start_batch(viewer)
    assert response.status_code == 303
    page_path = response.headers["Location"]
    assert re.fullmatch(r"/admin/aufkleber/auftraege/\d+", page_path)
    page = unescape(viewer.get(page_path).get_data(as_text=True))
    assert "Fertig: 25 Aufkleber erstellt." in page
    assert 'max="25" value="25"' in page and '<label class="label" for="job-bar">' in page
    assert "PDF herunterladen (25 Aufkleber, A6)" in page
    assert "http-equiv=\"refresh\"" not in page  # done: the page stops refreshing itself
    [link] = downloads(viewer, page_path)
    pdf = viewer.get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == (
        "attachment; filename=\"aufkleber-a6-25.pdf\"; filename*=UTF-8''aufkleber-a6-25.pdf")
    pages, text = pdf_text(pdf.data)
    assert pages == ENTRIES
    assert all(name in text for name in names)
    job = only_job(app)
    assert (job.kind, job.state, job.done, job.total) == ("sticker_batch", "done", 25, 25)
    with app.app_context():  # one step per chunk of ten
        assert queue.counts(db.session.get(Job, job.id)) == {batches.RENDERED: 3}


def test_the_sheet_format_fills_whole_pages_and_says_so(app, admin, make_employer):
    make_entries(make_employer)
    page_path = start_batch(admin, "a4-sheet").headers["Location"]
    assert "PDF herunterladen (25 Aufkleber, A4-Bogen)" in admin.get(page_path).get_data(
        as_text=True)
    [link] = downloads(admin, page_path)
    pages, text = pdf_text(admin.get(link).data)
    assert pages == 7  # 25 stickers, four to a sheet; chunks of 8 keep every sheet but the last full
    assert sorted(numbers(text)) == list(range(1, ENTRIES + 1))


def test_the_stickers_follow_the_order_of_the_list(app, admin, make_employer):
    make_entries(make_employer, 12)
    page_path = start_batch(admin, sort="name", order="asc").headers["Location"]
    [link] = downloads(admin, page_path)
    assert numbers(pdf_text(admin.get(link).data)[1])[:5] == [1, 10, 11, 12, 2]  # sorted as text


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"Tischlerei Nummer (\d+)", text)]


def test_the_progress_page_shows_partial_progress_and_the_job_resumes_where_it_stopped(
        app, viewer, make_employer, monkeypatch, held_runner):
    names = make_entries(make_employer)
    page_path = start_batch(viewer).headers["Location"]
    page = viewer.get(page_path).get_data(as_text=True)
    assert "Wartet auf den Start … (25 Aufkleber)" in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    original, rendered, dying = batches._render_chunk, [], [True]

    def runner_killed_at_the_second_chunk(job_id, position, *args):
        if position == 1 and dying[0]:
            raise KeyboardInterrupt  # the worker is killed: nothing is recorded or caught
        rendered.append(position)
        return original(job_id, position, *args)

    monkeypatch.setattr(batches, "_render_chunk", runner_killed_at_the_second_chunk)
    with app.app_context():
        job = queue.claim_next("runner-a")
        with pytest.raises(KeyboardInterrupt):
            runner.run_job(job, "runner-a")
        db.session.rollback()
    page = viewer.get(page_path).get_data(as_text=True)
    assert "Aufkleber werden erstellt: 10 von 25" in page
    assert 'max="25" value="10"' in page and 'role="status"' in page
    assert viewer.get(page_path + ".json").get_json() == {
        "state": "running", "done": 10, "total": 25, "finished": False,
        "text": "Aufkleber werden erstellt: 10 von 25", "page": page_path}
    assert downloads(viewer, page_path) == []

    dying[0] = False
    with app.app_context():
        db.session.execute(db.update(Job).values(lease_until=utcnow()))  # the lease ran out
        db.session.commit()
        assert runner.run_pending() == 1
    assert rendered == [0, 1, 2]  # chunk 0 was not drawn a second time
    page = viewer.get(page_path).get_data(as_text=True)
    assert "Fertig: 25 Aufkleber erstellt." in page
    pages, text = pdf_text(viewer.get(downloads(viewer, page_path)[0]).data)
    assert pages == ENTRIES and all(name in text for name in names)
    assert only_job(app).attempts == 2


def test_the_progress_text_uses_german_thousands(app):
    job = Job(kind=batches.JOB_KIND, state=JobState.RUNNING, done=1200, total=2951)
    with app.test_request_context("/admin/"):
        from campaign.stickers.batch_views import progress_text

        assert progress_text(job) == "Aufkleber werden erstellt: 1.200 von 2.951"


def test_a_batch_bigger_than_a_file_comes_in_parts_nothing_cut_off(app, admin, make_employer):
    app.config["STICKER_BATCH_FILE_MAX"] = 20
    make_entries(make_employer)
    page_path = start_batch(admin).headers["Location"]
    page = unescape(admin.get(page_path).get_data(as_text=True))
    assert "Teil 1 von 2 herunterladen (Aufkleber 1 bis 20, A6)" in page
    assert "Teil 2 von 2 herunterladen (Aufkleber 21 bis 25, A6)" in page
    first, second = (admin.get(link) for link in downloads(admin, page_path))
    assert "aufkleber-a6-25-teil-2-von-2.pdf" in second.headers["Content-Disposition"]
    (pages_1, text_1), (pages_2, text_2) = pdf_text(first.data), pdf_text(second.data)
    assert (pages_1, pages_2) == (20, 5)
    assert numbers(text_1) == list(range(25, 5, -1)) and numbers(text_2) == [5, 4, 3, 2, 1]


def test_a_batch_with_an_unprintable_name_is_refused_with_that_name(app, viewer, make_employer):
    make_entries(make_employer, 3)
    make_employer(name="مطعم السلام")
    response = start_batch(viewer)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/admin/aufkleber?")
    page = viewer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Diese Namen lassen sich nicht drucken: مطعم السلام." in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0


def test_a_name_made_unprintable_meanwhile_fails_the_job_and_says_how_to_go_on(
        app, viewer, make_employer, held_runner):
    make_entries(make_employer, 12)
    page_path = start_batch(viewer).headers["Location"]
    with app.app_context():
        db.session.execute(db.update(Employer).where(Employer.name == "Tischlerei Nummer 1")
                           .values(sticker_name="東京 Tischlerei"))
        db.session.commit()
        runner.run_pending()
    page = unescape(viewer.get(page_path).get_data(as_text=True))
    assert "Das PDF konnte nicht erstellt werden." in page
    assert "Diese Namen lassen sich inzwischen nicht drucken: Tischlerei Nummer 1." in page
    assert "Abgebrochen nach 10 von 12 Aufklebern." in page
    assert "Noch einmal versuchen" in page and downloads(viewer, page_path) == []
    again = resubmit(viewer, page)
    assert again.headers["Location"].startswith("/admin/aufkleber?")
    assert "Diese Namen lassen sich nicht drucken: Tischlerei Nummer 1." in viewer.get(
        again.headers["Location"]).get_data(as_text=True)


def resubmit(client, page: str):
    """Send the page's "try again" form as a browser would."""
    form = page[page.index('<form method="post" action="/admin/aufkleber/auftraege"'):]
    form = form[:form.index("</form>")]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(unescape(value))
    return client.post("/admin/aufkleber/auftraege", data=data)


def test_old_files_are_deleted_after_a_day_and_can_be_made_again(app, admin, make_employer):
    make_entries(make_employer, 3)
    old_page = start_batch(admin).headers["Location"]
    [old_link] = downloads(admin, old_page)
    folder = batch_folder(app, only_job(app).id)
    two_days_ago = time.time() - 48 * 3600
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (two_days_ago, two_days_ago))
    start_batch(admin)  # submitting a new batch clears the old files
    assert not folder.exists()
    page = admin.get(old_page).get_data(as_text=True)
    assert "Die Datei ist nicht mehr da: Fertige PDFs werden nach 24 Stunden gelöscht." in page
    assert "PDF neu erstellen" in page and downloads(admin, old_page) == []
    gone = admin.get(old_link)
    assert gone.status_code == 303 and gone.headers["Location"] == old_page
    again = resubmit(admin, page)
    assert again.status_code == 303
    assert len(downloads(admin, again.headers["Location"])) == 1


def batch_folder(app, job_id: int):
    with app.app_context():
        from campaign.stickers import batch_files

        return batch_files.folder(job_id)


def test_the_daily_cleanup_deletes_old_batch_files_only(app, admin, make_employer):
    cli = app.test_cli_runner()
    make_entries(make_employer, 2)
    start_batch(admin)
    folder = batch_folder(app, only_job(app).id)
    other = folder.parent / "notes.txt"
    other.write_text("keep me")
    assert "Aufkleber-PDFs von 0 alten" in cli.invoke(args=["campaign", "cleanup"]).output
    for path in [*folder.iterdir(), folder, other]:
        os.utime(path, (time.time() - 25 * 3600,) * 2)
    with app.app_context():  # as if the job had stalled a day ago: its parts are kept
        db.session.execute(db.update(Job).values(state=JobState.RUNNING))
        db.session.commit()
    assert "Aufkleber-PDFs von 0 alten" in cli.invoke(args=["campaign", "cleanup"]).output
    with app.app_context():
        db.session.execute(db.update(Job).values(state=JobState.DONE))
        db.session.commit()
    assert "Aufkleber-PDFs von 1 alten" in cli.invoke(args=["campaign", "cleanup"]).output
    assert not folder.exists() and other.exists()


def test_strangers_cannot_start_watch_or_download_a_batch(app, admin, client, make_employer):
    make_entries(make_employer, 2)
    page_path = start_batch(admin).headers["Location"]
    [link] = downloads(admin, page_path)
    token = csrf_token(client)
    response = client.post("/admin/aufkleber/auftraege",
                           data={"csrf_token": token, "status": "published", "format": "a6"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/admin/login")
    for path in (page_path, page_path + ".json", link):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["Location"].startswith("/admin/login"), path
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 1


def test_starting_a_batch_needs_the_forms_csrf_token(app, viewer, make_employer):
    make_entries(make_employer, 2)
    response = viewer.post("/admin/aufkleber/auftraege", data={"status": "published",
                                                              "format": "a6"})
    assert response.status_code == 400
    assert viewer.get("/admin/aufkleber/auftraege").status_code == 405


def test_other_jobs_are_not_sticker_batches(app, admin):
    with app.app_context():
        job = queue.submit("wave_import", {"wave": "W", "rows": []}, total=0, actor="t")
        db.session.commit()
        job_id = job.id
    for path in (f"/admin/aufkleber/auftraege/{job_id}", f"/admin/aufkleber/auftraege/{job_id}.json",
                 f"/admin/aufkleber/auftraege/{job_id}/1.pdf"):
        assert admin.get(path).status_code == 404, path


def test_a_download_of_an_unfinished_or_unknown_part_is_not_found(
        app, admin, make_employer, held_runner):
    make_entries(make_employer, 2)
    page_path = start_batch(admin).headers["Location"]
    assert admin.get(page_path + "/1.pdf").status_code == 404  # not rendered yet
    with app.app_context():
        runner.run_pending()
    assert admin.get(page_path + "/1.pdf").status_code == 200
    assert admin.get(page_path + "/2.pdf").status_code == 404
    assert admin.get("/admin/aufkleber/auftraege/999999").status_code == 404


def test_a_tampered_format_is_refused_politely(app, viewer, make_employer):
    make_entries(make_employer, 2)
    response = start_batch(viewer, "../../etc/passwd")
    assert response.status_code == 303 and response.headers["Location"].startswith(
        "/admin/aufkleber?")
    assert "Bitte wählen Sie ein Format." in viewer.get(response.headers["Location"]).get_data(
        as_text=True)


def test_pressing_the_button_twice_makes_one_batch(app, viewer, make_employer, held_runner):
    make_entries(make_employer, 3)
    first, second = start_batch(viewer), start_batch(viewer)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 1
    start_batch(viewer, "round")  # another format is another batch
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 2


def test_the_sticker_page_lists_the_latest_batches(app, viewer, make_employer):
    make_entries(make_employer, 3)
    page_path = start_batch(viewer).headers["Location"]
    page = viewer.get("/admin/aufkleber").get_data(as_text=True)
    assert "Zuletzt erstellte PDFs" in page
    assert f'href="{page_path}"' in page and "Fertig: 3 Aufkleber erstellt." in page


def test_a_technical_failure_is_named_and_the_batch_can_be_tried_again(
        app, admin, make_employer, monkeypatch, held_runner):
    make_entries(make_employer, 3)
    page_path = start_batch(admin).headers["Location"]

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    with app.app_context():
        monkeypatch.setattr(batches, "_render_chunk", disk_full)
        runner.run_pending()
        monkeypatch.undo()
    page = unescape(admin.get(page_path).get_data(as_text=True))
    assert "Das PDF konnte nicht erstellt werden. Ein technischer Fehler (OSError: [Errno 28] " \
           "No space left on device). Versuchen Sie es noch einmal" in " ".join(
               re.sub(r"<[^>]+>", "", page).split())
    again = resubmit(admin, page)
    assert again.status_code == 303 and again.headers["Location"] != page_path
    with app.app_context():
        runner.run_pending()
    assert len(downloads(admin, again.headers["Location"])) == 1
