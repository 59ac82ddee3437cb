"""E-mail alerts through the real SMTP sink: subscribe → confirm → an entry is approved →
exactly one digest a day → one-click unsubscribe deletes the address."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from campaign.alerts import subscriptions
from campaign.entries import decisions, retention
from campaign.extensions import db
from campaign.models import AlertSubscription, Employer, OutboxMail, Status, utcnow
from tests.support import links_in, text_of

ADDRESS = "lena@schule.example"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SEARCH = "?offers=praktikum&district=Wattenscheid"


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def subscribe(client, query: str = SEARCH, address: str = ADDRESS):
    page = client.get("/benachrichtigung" + query).get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    return client.post("/benachrichtigung" + query, data={"csrf_token": token, "email": address})


def approve(app, employer_id: int) -> None:
    with app.app_context():
        decisions.approve(db.session.get(Employer, employer_id), actor="staff:1")
        db.session.commit()


def send_alerts(runner) -> str:
    result = runner.invoke(args=["campaign", "send-alerts"])
    assert result.exit_code == 0, result.output
    return result.output


def stored_alerts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AlertSubscription))


def digests(smtp):
    return [m for m in smtp.to(ADDRESS) if "neue offene T" in m["Subject"]]


def test_subscribe_confirm_digest_once_a_day_and_unsubscribe(app, client, runner, smtp, publish,
                                                             make_employer):
    publish(name="Schon lange da", offers=["praktikum"], district="Wattenscheid",
            quarter="Höntrop", published_at=utcnow() - timedelta(days=3))
    form = client.get("/karte" + SEARCH).get_data(as_text=True)
    assert 'href="/benachrichtigung?offers=praktikum&amp;district=Wattenscheid"' in form

    response = subscribe(client)
    assert response.status_code == 200
    assert "Schau in dein Postfach" in response.get_data(as_text=True)
    confirmation = smtp.wait_for_mail_to(ADDRESS)
    assert "Bitte bestätige" in confirmation["Subject"]
    assert "Deine Suche: Praktikum, Wattenscheid" in text_of(confirmation)
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<https://tueren\.example\.org/benachrichtigung/abmelden/[^>]+>",
                        confirmation["List-Unsubscribe"])

    confirm_link = path_of(links_in(text_of(confirmation), "/benachrichtigung/bestaetigen/")[0])
    page = client.get(confirm_link).get_data(as_text=True)
    assert "Ja, benachrichtige mich" in page
    send_alerts(runner)
    assert digests(smtp) == []  # not confirmed yet
    page = client.post(confirm_link, data={"csrf_token": TOKEN.search(page).group(1)})
    assert "Deine Benachrichtigung ist an" in page.get_data(as_text=True)

    send_alerts(runner)
    assert digests(smtp) == []  # nothing new since the confirmation

    new = make_employer(Status.PENDING, name="Tischlerei Neu", slug="tischlerei-neu",
                        offers=["praktikum"], district="Wattenscheid", quarter="Höntrop")
    other = make_employer(Status.PENDING, name="Ausbildung Mitte", offers=["ausbildung"])
    approve(app, new.id)
    approve(app, other.id)
    assert "1 Benachrichtigung(en) erstellt" in send_alerts(runner)
    digest = smtp.wait_for_mail_to(ADDRESS, count=2)
    assert digest["Subject"] == "1 neue offene Tür für deine Suche"
    body = text_of(digest)
    assert "Tischlerei Neu" in body and "https://tueren.example.org/betrieb/tischlerei-neu" in body
    assert "Ausbildung Mitte" not in body and "Schon lange da" not in body

    later = make_employer(Status.PENDING, name="Bäckerei Später", offers=["praktikum"],
                          district="Wattenscheid", quarter="Höntrop")
    approve(app, later.id)
    assert "0 Benachrichtigung(en) erstellt" in send_alerts(runner)  # the same day: nothing
    assert len(digests(smtp)) == 1

    unsubscribe_url = digest["List-Unsubscribe"].strip("<>")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in body
    fresh = app.test_client()  # a mail provider's one-click POST: no session, no CSRF token
    response = fresh.post(path_of(unsubscribe_url), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Du bist abgemeldet" in response.get_data(as_text=True)
    assert stored_alerts(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AlertSubscription).where(
            AlertSubscription.email_key == ADDRESS)) == 0
    assert "Du bist abgemeldet" in fresh.get(path_of(unsubscribe_url)).get_data(as_text=True)
    with app.app_context():  # the copies of the mails sent to the address are blanked too
        assert ADDRESS not in db.session.scalars(select(OutboxMail.recipient)).all()


def test_the_next_day_brings_the_next_digest(app, client, smtp, make_employer):
    subscribe(client, "?offers=praktikum")
    with app.app_context():
        alert = db.session.scalar(select(AlertSubscription))
        subscriptions.confirm(alert)
        alert.checked_until = alert.last_digest_at = utcnow() - timedelta(days=1)
        db.session.commit()
    make_employer(name="Neu heute", offers=["praktikum"], published_at=utcnow())
    with app.app_context():
        assert subscriptions.send_digests() == 1
        assert subscriptions.send_digests() == 0
        db.session.commit()


def test_unsubscribe_page_asks_before_deleting(app, client, smtp):
    subscribe(client)
    link = links_in(text_of(smtp.wait_for_mail_to(ADDRESS)), "/benachrichtigung/abmelden/")[0]
    page = client.get(path_of(link))
    assert page.headers["Cache-Control"] == "no-store"
    assert "Abmelden" in page.get_data(as_text=True) and stored_alerts(app) == 1
    assert client.post(path_of(link)).status_code == 200 and stored_alerts(app) == 0


def test_invalid_address_is_explained(client):
    page = client.get("/benachrichtigung").get_data(as_text=True)
    response = client.post("/benachrichtigung", data={"csrf_token": TOKEN.search(page).group(1),
                                                      "email": "keine-adresse"})
    assert response.status_code == 400
    assert "Fehler" in response.get_data(as_text=True)


def test_subscribing_without_csrf_is_refused(client, smtp):
    assert client.post("/benachrichtigung", data={"email": ADDRESS}).status_code == 400
    assert smtp.to(ADDRESS) == []


def test_a_broken_confirm_link_says_so(client):
    response = client.get("/benachrichtigung/bestaetigen/kaputt")
    assert response.status_code == 400
    assert "Der Link funktioniert nicht mehr" in response.get_data(as_text=True)


@pytest.mark.parametrize("confirmed, days, kept", [(False, 8, False), (False, 6, True),
                                                     (True, 366, False), (True, 300, True)])
def test_retention_of_alerts(app, confirmed, days, kept):
    old = utcnow() - timedelta(days=days)
    with app.app_context():
        db.session.add(AlertSubscription(email="a@b.de", email_key="a@b.de", filter_args=[],
                                         created_at=old, confirmed_at=old if confirmed else None))
        db.session.commit()
        retention.apply_all(app.config)
        db.session.commit()
    assert stored_alerts(app) == int(kept)
