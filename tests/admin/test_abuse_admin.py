"""Odd numbers in admin URLs never give a 500; invitation candidates are merged by staff."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.entries import invitations
from campaign.extensions import db
from campaign.models import Employer, Status
from tests.admin.helpers import post
from tests.support import links_in, text_of
from tests.test_selfservice import confirm, path_of
from tests.test_signup import post_signup

ODD = ["9223372036854775808", "²", "１２"]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("template", [
    "/admin/eintraege/{}", "/admin/eintraege/{}/bearbeiten", "/admin/pruefen/{}",
    "/admin/eintraege/{}/aufkleber.pdf"])
def test_odd_ids_in_paths_are_not_found(admin, template, value):
    assert admin.get(template.format(value)).status_code == 404


@pytest.mark.parametrize("value", ODD[:2])
@pytest.mark.parametrize("template", [
    "/admin/eintraege/{}/pausieren", "/admin/team/{}/sperren", "/admin/meldungen/{}/erledigt"])
def test_odd_ids_in_post_paths_are_not_found(admin, template, value):
    assert post(admin, template.format(value)).status_code == 404


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("path", [
    "/admin/eintraege?page={}", "/admin/eintraege?wave={}", "/admin/pruefen?page={}",
    "/admin/protokoll?page={}", "/admin/protokoll?employer={}", "/karte?page={}"])
def test_odd_numbers_in_query_parameters_are_ignored(admin, path, value):
    assert admin.get(path.format(value)).status_code == 200


def test_odd_ids_and_versions_in_forms_are_ignored(admin, make_employer):
    entry = make_employer(status=Status.PENDING)
    response = post(admin, "/admin/eintraege/auswahl",
                    {"ids": ["²", "99999999999999999999", str(entry.id)], "action": "approve"})
    assert response.status_code < 500
    decided = post(admin, f"/admin/pruefen/{entry.id}/entscheidung",
                   {"decision": "approve", "version": "²"})
    assert decided.status_code == 409  # treated as an unknown version: a conflict, not a 500


def test_staff_merge_an_anonymous_signup_into_the_invitation(app, client, admin, smtp,
                                                             make_employer):
    invited = make_employer(status=Status.INVITED, name="Stadtwerke Bochum",
                            contact_email="personal@stadtwerke.example")
    post_signup(client, app, name="Stadtwerke Bochum GmbH",
                contact_email="personal@stadtwerke.example")
    body = text_of(smtp.wait_for(1)[0])
    confirm(client, path_of(links_in(body, "/bestaetigen/")[0]))
    with app.app_context():
        candidate = db.session.scalars(select(Employer).where(Employer.id != invited.id)).one()
        candidate_id = candidate.id
    page = admin.get(f"/admin/pruefen/{candidate_id}").get_data(as_text=True)
    assert "Es gibt eine Einladung für diese Adresse" in page
    assert "Mit der Einladung zusammenführen" in page
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    refused = post(admin, f"/admin/pruefen/{candidate_id}/entscheidung",
                   {"decision": "approve", "version": version}, follow_redirects=True)
    assert "Führen Sie die Anmeldung mit der Einladung zusammen" in refused.get_data(as_text=True)
    merged = post(admin, f"/admin/pruefen/{candidate_id}/einladung-zusammenfuehren")
    assert merged.headers["Location"].endswith(f"/admin/pruefen/{invited.id}")
    with app.app_context():
        assert db.session.get(Employer, candidate_id) is None
        entry = db.session.get(Employer, invited.id)
        assert (entry.status, entry.name) == (Status.PENDING, "Stadtwerke Bochum GmbH")
        assert entry.private.consent_confirmed_at is not None
        assert invitations.invited_employer(invitations.invitation_url(entry)) is None
