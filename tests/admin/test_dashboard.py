"""Dashboard numbers and charts, the audit log page and staff management."""

from __future__ import annotations

from datetime import timedelta

from campaign.extensions import db
from campaign.models import Role, ScanCount, StaffUser, Status, utcnow
from tests.admin.helpers import login, post


def test_dashboard_counts_places_offers_and_scans(app, viewer, make_employer):
    focus = make_employer(quarter="Hamme", offers=["ausbildung", "praktikum"],
                          published_at=utcnow())
    make_employer(district="Süd", quarter="Stiepel", sector="Handel")
    make_employer(Status.PENDING)
    with app.app_context():
        db.session.add(ScanCount(employer_id=focus.id, day=utcnow().date(), count=7))
        db.session.add(ScanCount(employer_id=focus.id, day=utcnow().date() - timedelta(days=100),
                                 count=50))
        db.session.commit()
    page = viewer.get("/admin/").get_data(as_text=True)
    assert '<span class="card__number">2</span> <span class="card__label">Freigegeben' in page
    assert '<span class="card__number">1</span> <span class="card__label">In Prüfung' in page
    assert "1 von 2 freigegebenen Betrieben liegen in den Fokus-Stadtteilen" in page
    assert page.count('role="img"') == 5 and "<title id=\"chart-quarters-title\">" in page
    assert "Hamme ★" in page  # focus marked by more than colour
    assert '<th scope="row">Hamme <strong class="tag tag--focus">Fokus</strong></th><td class="num">1</td>' in page
    assert '<caption>QR-Code-Aufrufe je Woche</caption>' in page
    scans = page[page.index("<caption>QR-Code-Aufrufe je Woche</caption>"):]
    assert '<td class="num">7</td>' in scans and '<td class="num">50</td>' not in scans
    assert '<th scope="row">Praktikum</th><td class="num">1</td>' in page


def test_chart_escapes_labels():
    from campaign.admin.charts import bar_chart
    from campaign.admin.stats import Row

    svg = bar_chart("c", "Titel <x>", [Row("<script>", 3, True)])
    assert "<script>" not in svg and "&lt;script&gt; ★" in svg and "Titel &lt;x&gt;" in svg


def log_rows(client, query: str) -> str:
    page = client.get("/admin/protokoll?" + query).get_data(as_text=True)
    return page.split("<tbody>")[1] if "<tbody>" in page else ""


def test_audit_log_filters_by_action_actor_and_entry(app, reviewer, make_employer):
    employer = make_employer(Status.PENDING)
    other = make_employer()
    post(reviewer, f"/admin/eintraege/{employer.id}/notiz", {"internal_notes": "a"})
    post(reviewer, f"/admin/eintraege/{other.id}/pausieren")
    page = log_rows(reviewer, f"employer={employer.id}")
    assert "notes_edited" in page and "status:paused" not in page
    assert "reviewer@stadt.example" in page
    by_actor = log_rows(reviewer, "actor=staff:1&action=status")
    assert "status:paused" in by_actor and "notes_edited" not in by_actor
    assert "0 Einträge" in reviewer.get("/admin/protokoll?from=2999-01-01").get_data(as_text=True)


def test_admin_adds_staff_with_the_password_policy(app, admin):
    short = post(admin, "/admin/team", {"email": "neu@stadt.example", "role": "viewer",
                                        "password": "kurz"})
    assert short.status_code == 400
    assert "mindestens 12 Zeichen" in short.get_data(as_text=True)
    common = post(admin, "/admin/team", {"email": "neu@stadt.example", "role": "viewer",
                                         "password": "passwordpassword"})
    assert "zu leicht zu erraten" in common.get_data(as_text=True)
    ok = post(admin, "/admin/team", {"email": "Neu@Stadt.example", "role": "reviewer",
                                     "password": "ein langer guter satz"})
    assert ok.status_code == 303
    assert login(app.test_client(), "neu@stadt.example", "ein langer guter satz").status_code == 303
    again = post(admin, "/admin/team", {"email": "neu@stadt.example", "role": "viewer",
                                        "password": "ein langer guter satz"})
    assert "Es gibt schon ein Konto" in again.get_data(as_text=True)


def test_last_admin_cannot_lock_or_demote_themselves(app, admin):
    with app.app_context():
        me = db.session.scalar(db.select(StaffUser).where(StaffUser.role == Role.ADMIN))
    page = post(admin, f"/admin/team/{me.id}/sperren", follow_redirects=True)
    assert "Das letzte aktive Admin-Konto muss bleiben" in page.get_data(as_text=True)
    post(admin, f"/admin/team/{me.id}/rolle", {f"s{me.id}-role": "viewer"})
    assert admin.get("/admin/team").status_code == 200


def per_week_in_python(stamps, today) -> list[int]:
    """The weekly figures as the dashboard counted them before the database did."""
    from campaign.admin import stats

    return [sum(1 for s in stamps if stats.week_start(s.date()) == week)
            for week in stats.weeks(today, 12)]


def test_dashboard_figures_counted_by_the_database_match_counting_each_entry(app, make_employer):
    from datetime import datetime, time

    from campaign.admin import stats
    from campaign.entries.dropin import local_now
    from campaign.models import AuditEntry

    today = local_now().date()
    monday = datetime.combine(stats.week_start(today), time(0, 0))
    stamps = [utcnow(), monday, monday - timedelta(microseconds=1), monday - timedelta(weeks=3),
              monday - timedelta(weeks=11), monday - timedelta(weeks=11, microseconds=1)]
    for stamp in stamps:
        make_employer(published_at=stamp, offers=["quereinstieg"])
    make_employer(offers=["ausbildung", "praktikum", "ausbildung"])
    make_employer(offers=[])
    make_employer(Status.PAUSED, offers=["ausbildung", "einstieg"], published_at=utcnow())
    make_employer(Status.PENDING, offers=["duales_studium"])
    with app.app_context():
        for stamp in stamps:
            db.session.add(AuditEntry(actor="employer", action="registered", at=stamp))
            db.session.add(AuditEntry(actor="employer", action="invitation_accepted", at=stamp))
            db.session.add(AuditEntry(actor="employer", action="edited", at=stamp))
        db.session.commit()
    with app.test_request_context():
        offers = {row.label: row.value for row in stats.published_by_offer()}
        publications = [row.value for row in stats.publications_per_week(today)]
        signups = [row.value for row in stats.signups_per_week(today)]
    assert offers == {"Ausbildung": 1, "Praktikum": 1, "Duales Studium": 0, "Einstiegsjob": 0,
                      "Ferienjob": 0, "Quereinstieg": 6}
    assert publications == per_week_in_python([*stamps, utcnow()], today)
    assert signups == [2 * n for n in per_week_in_python(stamps, today)]
    assert sum(publications) == 6  # the stamp before the first of the 12 weeks is left out


def test_dashboard_sends_as_many_queries_for_300_entries_as_for_3(app, viewer, make_employer):
    from campaign.models import AuditEntry, Employer
    from tests.query_count import counted_queries

    def queries(count: int) -> int:
        with app.app_context():
            for n in range(count):
                db.session.add(Employer(name=f"B{count}-{n}", slug=f"b{count}-{n}",
                                        status=list(Status)[n % 7], offers=["ausbildung"],
                                        quarter="Hamme", published_at=utcnow()))
                db.session.add(AuditEntry(actor="employer", action="registered"))
            db.session.commit()
        viewer.get("/admin/")
        with counted_queries(app) as statements:
            assert viewer.get("/admin/").status_code == 200
        return len(statements)

    assert queries(3) == queries(300)
