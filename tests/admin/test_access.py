"""Every admin route needs a login and the right role; state changes need POST and CSRF."""

from __future__ import annotations

import re

import pytest

from campaign.models import Role, Status
from tests.admin.helpers import csrf_token, post


def admin_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin") and rule.endpoint != "admin.login":
            path = re.sub(r"<id:\w+>", "1", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, path


def test_every_admin_route_sends_strangers_to_the_login(app, client):
    rules = list(admin_rules(app))
    assert len(rules) >= 25  # the enumeration found the panel, not nothing
    token = csrf_token(client)
    for method, path in rules:
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code in (302, 303, 401, 403), (method, path)
        if response.status_code in (302, 303):
            assert response.headers["Location"].startswith("/admin/login"), (method, path)


def test_login_redirect_remembers_the_page(client):
    response = client.get("/admin/eintraege?status=pending")
    assert response.headers["Location"] == "/admin/login?next=/admin/eintraege?status%3Dpending"


def test_admin_pages_are_not_cached(viewer):
    for path in ("/admin/", "/admin/login", "/admin/eintraege"):
        assert viewer.get(path).headers["Cache-Control"] == "no-store"


STATE_CHANGES = [
    "/admin/pruefen/{id}/entscheidung", "/admin/eintraege/{id}/pausieren",
    "/admin/eintraege/{id}/loeschen", "/admin/export.csv", "/admin/eintraege/auswahl",
    "/admin/logout", "/admin/team/1/sperren", "/admin/aufkleber/auftraege",
]


@pytest.mark.parametrize("path", STATE_CHANGES)
def test_state_changes_refuse_get(admin, make_employer, path):
    employer = make_employer(Status.PENDING)
    assert admin.get(path.format(id=employer.id)).status_code == 405


@pytest.mark.parametrize("path", STATE_CHANGES)
def test_state_changes_refuse_post_without_csrf(admin, make_employer, path):
    employer = make_employer(Status.PENDING)
    response = admin.post(path.format(id=employer.id), data={"decision": "approve", "ids": "1"})
    assert response.status_code == 400
    assert admin.get(f"/admin/eintraege/{employer.id}").status_code == 200  # still there


def test_viewer_reads_everything_but_changes_nothing(viewer, make_employer):
    employer = make_employer(Status.PENDING)
    for path in ("/admin/", "/admin/pruefen", f"/admin/pruefen/{employer.id}", "/admin/eintraege",
                 f"/admin/eintraege/{employer.id}", "/admin/wellen", "/admin/protokoll",
                 "/admin/aufkleber"):
        assert viewer.get(path).status_code == 200, path
    denied = [
        (f"/admin/pruefen/{employer.id}/entscheidung", {"decision": "approve", "version": "1"}),
        (f"/admin/eintraege/{employer.id}/notiz", {"internal_notes": "x"}),
        (f"/admin/eintraege/{employer.id}/aufkleber", {"sticker_status": "printed"}),
        ("/admin/eintraege/auswahl", {"action": "approve", "ids": str(employer.id)}),
        (f"/admin/eintraege/{employer.id}/loeschen", {}),
        ("/admin/team", {"email": "neu@stadt.example", "role": "admin", "password": "x" * 20}),
        ("/admin/wellen/import", {"wave": "x"}),
    ]
    for path, data in denied:
        assert post(viewer, path, data).status_code == 403, path
    assert viewer.get(f"/admin/eintraege/{employer.id}/bearbeiten").status_code == 403
    assert viewer.get("/admin/team").status_code == 403


def test_viewer_export_has_no_private_fields(viewer, make_employer):
    make_employer(contact_email="geheim@firma.de")
    body = post(viewer, "/admin/export.csv").get_data(as_text=True)
    assert "Betrieb 1" in body
    assert "geheim@firma.de" not in body and "Ansprechperson" not in body


def test_reviewer_cannot_manage_staff_import_or_delete(reviewer, make_employer):
    employer = make_employer()
    assert reviewer.get("/admin/team").status_code == 403
    assert reviewer.get("/admin/wellen/import").status_code == 403
    assert post(reviewer, "/admin/team/1/sperren").status_code == 403
    assert post(reviewer, f"/admin/eintraege/{employer.id}/loeschen").status_code == 403
    assert reviewer.get(f"/admin/eintraege/{employer.id}").status_code == 200


def test_navigation_shows_only_what_the_role_may_use(viewer, admin):
    assert 'href="/admin/team"' not in viewer.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/team"' in admin.get("/admin/").get_data(as_text=True)


def test_role_is_checked_again_after_a_change(app, admin, make_staff):
    """A demoted reviewer loses the session (token rotated) and with it the old rights."""
    from tests.admin.helpers import login

    email = make_staff(Role.REVIEWER, email="wechsel@stadt.example")
    other = app.test_client()
    login(other, email)
    from tests.admin.conftest import staff_row

    staff = staff_row(app, email)
    post(admin, f"/admin/team/{staff.id}/rolle", {f"s{staff.id}-role": "viewer"})
    assert other.get("/admin/").status_code == 303
