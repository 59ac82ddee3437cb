"""Every staff list page sends the same number of queries for 5 rows as for 25: no query per row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaign.extensions import db
from campaign.models import (
    AuditEntry,
    ConsultationPoint,
    Employer,
    EmployerPrivate,
    Job,
    JobItem,
    JobState,
    OutboxMail,
    ProblemReport,
    Role,
    ScanCount,
    StaffUser,
    Status,
    StickerStatus,
    Wave,
    utcnow,
)
from tests.query_count import counted_queries

STATUSES = (Status.PUBLISHED, Status.PENDING, Status.PAUSED, Status.INVITED, Status.UNCONFIRMED)


def add_employers(count: int, status: Status | None = None, **extra) -> list[Employer]:
    """Entries with contact data, each in its own wave, in mixed states."""
    employers = []
    for n in range(count):
        wave = Wave(name=f"Welle {status}-{n}")
        employer = Employer(
            name=f"Betrieb {n}", slug=f"betrieb-{status}-{n}", status=status or STATUSES[n % 5],
            quarter="Hamme", district="Mitte", offers=["ausbildung"], languages=["de"],
            published_at=utcnow(), **extra)
        employer.private = EmployerPrivate(
            contact_email=f"k{n}@firma.de", contact_name="Erika", wave=wave,
            sticker_status=StickerStatus.REQUESTED, review_message="Bitte Zeiten angeben"
            if n % 2 else "", pending_changes={"name": "Neu"} if n % 3 == 0 else {},
            reconfirm_stage=n % 2)
        employers.append(employer)
    db.session.add_all(employers)
    db.session.flush()
    return employers


def seed_entries(count: int) -> str:
    add_employers(count)
    return "/admin/eintraege"


def seed_queue(count: int) -> str:
    add_employers(count, Status.PENDING)
    add_employers(count, Status.PUBLISHED)  # a third of them with changes waiting
    return "/admin/pruefen"


def seed_stickers(count: int) -> str:
    add_employers(count, Status.PUBLISHED)
    return "/admin/aufkleber"


def seed_reports(count: int) -> str:
    for employer in add_employers(count, Status.PUBLISHED):
        db.session.add(ProblemReport(employer_id=employer.id, kind="closed", message="zu"))
    return "/admin/meldungen"


def seed_audit_log(count: int) -> str:
    staff = [StaffUser(email=f"s{n}@stadt.example", password_hash="x") for n in range(count)]
    db.session.add_all(staff)
    db.session.flush()
    for n, employer in enumerate(add_employers(count)):
        db.session.add(AuditEntry(actor=f"staff:{staff[n].id}", action="status:paused",
                                  employer_id=employer.id, details={"fields": ["name"]}))
    return "/admin/protokoll"


def seed_entry_history(count: int) -> str:
    (employer,) = add_employers(1, Status.PUBLISHED)
    for n in range(count):
        db.session.add(AuditEntry(actor="employer", action="edited", employer_id=employer.id,
                                  details={"n": n}))
    return f"/admin/eintraege/{employer.id}"


def seed_waves(count: int) -> str:
    add_employers(count)
    return "/admin/wellen"


def seed_job(count: int) -> str:
    employers = add_employers(count, Status.INVITED)
    job = Job(kind="import", created_by="staff:1", state=JobState.DONE, total=count,
              done=count, params={"wave": "Welle"})
    job.items = [JobItem(position=n, outcome="invited", employer_id=e.id,
                         details={"line": n + 2, "name": e.name, "location_source": "exact"})
                 for n, e in enumerate(employers)]
    db.session.add(job)
    db.session.flush()
    return f"/admin/auftraege/{job.id}"


def seed_undeliverable_mails(count: int) -> str:
    for n in range(count):
        db.session.add(OutboxMail(recipient=f"r{n}@firma.de", subject="Betreff", text_body="x",
                                  message_id=f"<m{n}@tueren>", failed_at=utcnow(),
                                  attempts=3, smtp_code=550, last_error="User unknown"))
    return "/admin/mails/unzustellbar"


def seed_team(count: int) -> str:
    db.session.add_all(StaffUser(email=f"t{n}@stadt.example", password_hash="x",
                                 role=Role.VIEWER) for n in range(count))
    return "/admin/team"


def seed_consultations(count: int) -> str:
    db.session.add_all(ConsultationPoint(
        slug=f"beratung-{n}", provider="Jobcenter", title=f"Sprechstunde {n}",
        quarter="Hamme", published=n % 2 == 0,
        schedule={"rules": [{"kind": "weekly", "weekday": 1, "start_date": "2026-01-06",
                             "start": "09:00", "end": "12:00", "until": ""}],
                  "exceptions": []}) for n in range(count))
    return "/admin/beratung"


def seed_embed(count: int) -> str:
    add_employers(count, Status.PUBLISHED)
    return "/admin/einbetten"


def seed_dashboard(count: int) -> str:
    employers = add_employers(count)
    for n, employer in enumerate(employers):
        db.session.add(AuditEntry(actor="employer", action="registered",
                                  employer_id=employer.id, at=utcnow() - timedelta(days=n)))
        db.session.add(ScanCount(employer_id=employer.id, day=utcnow().date(), count=n))
        db.session.add(ProblemReport(employer_id=employer.id, kind="closed"))
    return "/admin/"


PAGES = [seed_entries, seed_queue, seed_stickers, seed_reports, seed_audit_log,
         seed_entry_history, seed_waves, seed_job, seed_undeliverable_mails, seed_team,
         seed_consultations, seed_embed, seed_dashboard]


def queries_for(app, client, seed, count: int) -> tuple[int, str]:
    with app.app_context():
        path = seed(count)
        db.session.commit()
    client.get(path)  # warm-up: caches filled once per process are not the page's queries
    with counted_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(statements), response.get_data(as_text=True)


def empty_database(app) -> None:
    with app.app_context():
        for model in (JobItem, Job, AuditEntry, ProblemReport, ScanCount, OutboxMail,
                      ConsultationPoint, EmployerPrivate, Employer, Wave):
            db.session.execute(db.delete(model))
        db.session.execute(db.delete(StaffUser).where(StaffUser.password_hash == "x"))
        db.session.commit()


@pytest.mark.parametrize("seed", PAGES, ids=lambda seed: seed.__name__.removeprefix("seed_"))
def test_a_list_page_sends_as_many_queries_for_25_rows_as_for_5(app, admin, seed):
    few, few_page = queries_for(app, admin, seed, 5)
    empty_database(app)
    many, many_page = queries_for(app, admin, seed, 25)
    assert many == few, f"{few} queries for 5 rows, {many} for 25"
    assert len(many_page) > len(few_page) or seed in (seed_stickers, seed_embed, seed_dashboard)
