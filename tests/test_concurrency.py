"""Many sign-ups at once against gunicorn with 2 workers: nothing lost, nothing doubled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, OutboxMail
from tests.signup_data import signup_form
from tests.support import Browserless


def counts(live_app, prefix: str) -> tuple[int, int]:
    with live_app.app_context():
        entries = db.session.scalar(
            select(func.count()).select_from(EmployerPrivate)
            .where(EmployerPrivate.contact_email.like(f"{prefix}%")))
        mails = db.session.scalar(
            select(func.count()).select_from(OutboxMail)
            .where(OutboxMail.recipient.like(f"{prefix}%"), OutboxMail.sent_at.is_not(None)))
        db.session.remove()
    return entries, mails


def test_concurrent_signups_are_all_kept_and_all_mailed(live_server, live_app, smtp):
    prefix = f"lauf-{live_server.backend}-"
    total = 24

    def one(number: int) -> int:
        fields = signup_form(contact_email=f"{prefix}{number}@firma.de", name=f"Firma {number}")
        return Browserless(live_server.url).sign_up(fields)[0]

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(one, range(total)))
    assert statuses == [200] * total  # 303 to the thank-you page, followed
    for number in range(total):  # mail goes out in the background, right after each response
        smtp.wait_for_mail_to(f"{prefix}{number}@firma.de")
    assert counts(live_app, prefix) == (total, total)


def test_identical_concurrent_signups_make_one_entry(live_server, live_app):
    prefix = f"doppelt-{live_server.backend}-"
    fields = signup_form(contact_email=f"{prefix}x@firma.de")

    def one(_):
        return Browserless(live_server.url).sign_up(fields)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, range(8)))
    assert statuses == [200] * 8
    with live_app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(Employer).join(EmployerPrivate)
            .where(EmployerPrivate.contact_email_key == f"{prefix}x@firma.de")) == 1
        db.session.remove()
