"""Problem reports sent from an employer page reach the staff, who mark them as done."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEntry, ProblemReport, Status
from tests.test_selfservice import csrf_of


def report(app, employer_id: int, message: str) -> int:
    with app.app_context():
        entry = ProblemReport(employer_id=employer_id, kind="closed", message=message)
        db.session.add(entry)
        db.session.commit()
        return entry.id


def test_staff_read_open_reports_with_the_text_shown_literally(app, viewer, make_employer):
    employer = make_employer(status=Status.PUBLISHED, name="Bäckerei Sonne")
    report(app, employer.id, "Tür war zu <script>alert(1)</script>")
    page = viewer.get("/admin/meldungen").get_data(as_text=True)
    assert "1 offene Meldung" in page and "Bäckerei Sonne" in page
    assert "Die Tür war zu oder niemand wusste Bescheid" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Erledigt" not in page.split("<tbody>")[1]  # viewers only read


def test_reviewer_marks_a_report_as_done(app, reviewer, make_employer):
    employer = make_employer(status=Status.PUBLISHED)
    report_id = report(app, employer.id, "")
    page = reviewer.get("/admin/meldungen").get_data(as_text=True)
    response = reviewer.post(f"/admin/meldungen/{report_id}/erledigt",
                             data={"csrf_token": csrf_of(page)})
    assert response.status_code == 303
    assert "Keine offenen Meldungen" in reviewer.get("/admin/meldungen").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ProblemReport, report_id).resolved_at is not None
        assert "report_resolved" in db.session.scalars(select(AuditEntry.action)).all()


def test_viewer_cannot_resolve(app, viewer, make_employer):
    report_id = report(app, make_employer().id, "")
    page = viewer.get("/admin/meldungen").get_data(as_text=True)
    response = viewer.post(f"/admin/meldungen/{report_id}/erledigt",
                           data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403


def test_dashboard_counts_open_reports(app, viewer, make_employer):
    report(app, make_employer().id, "")
    page = viewer.get("/admin/").get_data(as_text=True)
    assert '<span class="card__number">1</span> <span class="card__label">Offene Meldungen' in page
