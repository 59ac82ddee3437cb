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


def test_two_clicks_on_the_confirmation_button_at_once_both_show_success(live_server, live_app,
                                                                         smtp):
    """PostgreSQL lets both clicks read "unconfirmed"; the loser used to get a 500
    (StaleDataError). Now both get the same success page and the entry is confirmed once."""
    import re
    import threading

    from campaign.models import AuditEntry, Status
    from tests.support import hidden_inputs, links_in, text_of

    prefix = f"klick-{live_server.backend}-"
    for number in range(4):
        address = f"{prefix}{number}@firma.de"
        assert Browserless(live_server.url).sign_up(
            signup_form(contact_email=address, name=f"Klick {number}"))[0] == 200
        link = links_in(text_of(smtp.wait_for_mail_to(address)), "/bestaetigen/")[0]
        path = re.sub(r"^https?://[^/]+", "", link)
        clients = [Browserless(live_server.url) for _ in range(2)]
        forms = [hidden_inputs(c.get(path)[1]) for c in clients]
        start, results = threading.Barrier(2), [None, None]

        def click(n: int, start=start, clients=clients, forms=forms, path=path,
                  results=results) -> None:
            start.wait()
            results[n] = clients[n].post(path, forms[n])

        threads = [threading.Thread(target=click, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in results] == [200, 200], results
        assert all("Anmeldung bestätigt" in page for _, page in results)
        with live_app.app_context():
            employer = db.session.scalar(select(Employer).join(EmployerPrivate).where(
                EmployerPrivate.contact_email_key == address))
            assert employer.status == Status.PENDING
            assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.employer_id == employer.id, AuditEntry.action == "confirmed")) == 1
            db.session.remove()
