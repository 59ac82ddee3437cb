"""Admin fixtures: staff accounts per role and test clients signed in as them."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from campaign.extensions import db
from campaign.models import Employer, Role, StaffUser, Status
from campaign.staff.passwords import hash_password
from tests.admin.helpers import PASSWORD, login
from tests.support import links_in, text_of
from tests.test_selfservice import confirm, path_of
from tests.test_signup import post_signup


@pytest.fixture
def make_staff(app):
    def make(role: Role = Role.REVIEWER, email: str | None = None, password: str = PASSWORD,
             **fields) -> str:
        address = email or f"{role.value}@stadt.example"
        with app.app_context():
            db.session.add(StaffUser(email=address, password_hash=hash_password(password),
                                     role=role, **fields))
            db.session.commit()
        return address

    return make


def _client_for(app, make_staff, role: Role):
    client = app.test_client()
    response = login(client, make_staff(role))
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def viewer(app, make_staff):
    return _client_for(app, make_staff, Role.VIEWER)


@pytest.fixture
def reviewer(app, make_staff):
    return _client_for(app, make_staff, Role.REVIEWER)


@pytest.fixture
def admin(app, make_staff):
    return _client_for(app, make_staff, Role.ADMIN)


def staff_row(app, email: str) -> StaffUser:
    with app.app_context():
        staff = db.session.scalar(db.select(StaffUser).where(StaffUser.email == email))
        db.session.expunge(staff)
        return staff


@pytest.fixture
def published_signup(app, smtp):
    """A published entry whose employer has a self-service session: (browser, path, id)."""
    browser = app.test_client()
    post_signup(browser, app)
    body = text_of(smtp.wait_for(1)[0])
    manage = path_of(links_in(body, "/mein-eintrag/")[0])
    confirm(browser, path_of(links_in(body, "/bestaetigen/")[0]))
    with app.app_context():
        db.session.execute(update(Employer).values(status=Status.PUBLISHED))
        db.session.commit()
        employer_id = db.session.scalar(db.select(Employer.id))
    browser.get(manage)
    smtp.clear()
    return browser, manage, employer_id
