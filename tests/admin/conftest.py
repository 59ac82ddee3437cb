"""Admin fixtures: staff accounts per role and test clients signed in as them."""

from __future__ import annotations

import pytest

from campaign.extensions import db
from campaign.models import Role, StaffUser
from campaign.staff.passwords import hash_password
from tests.admin.helpers import PASSWORD, login


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
