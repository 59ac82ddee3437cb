"""E-mail alerts: subscribe (double opt-in), confirm, unsubscribe, the daily digest and the
retention rules. Operations only: the caller commits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from campaign.alerts import matching
from campaign.core import links, mail, tokens
from campaign.core.city import current_city
from campaign.core.text import casefold_email
from campaign.entries.dropin import TIMEZONE
from campaign.extensions import db
from campaign.models import AlertSubscription, utcnow
from campaign.public import search
from campaign.public.snapshot import public_snapshot

MAX_PER_ADDRESS = 10


def filters_of(subscription: AlertSubscription) -> search.Filters:
    return search.parse(MultiDict([tuple(pair) for pair in subscription.filter_args]), current_city())


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return links.external("alerts.unsubscribe",
                          token=tokens.make(tokens.ALERT_UNSUBSCRIBE, {"s": subscription.id}))


def confirm_url(subscription: AlertSubscription) -> str:
    return links.external("alerts.confirm",
                          token=tokens.make(tokens.ALERT_CONFIRM, {"s": subscription.id}))


def _enqueue(subscription: AlertSubscription, template: str, **context) -> None:
    """Every alert mail carries one-click unsubscribe (RFC 8058)."""
    url = unsubscribe_url(subscription)
    mail.enqueue(subscription.email, template, unsubscribe_url=url,
                 description=matching.describe(filters_of(subscription)).removeprefix(": "),
                 headers={"List-Unsubscribe": f"<{url}>",
                          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}, **context)


def subscribe(email: str, filters: search.Filters) -> None:
    """Queue the confirmation mail. Says nothing about existing alerts of this address: an
    identical confirmed alert or too many alerts simply mean no new mail."""
    key = casefold_email(email)
    args = [list(pair) for pair in filters.to_args()]
    existing = db.session.scalars(select(AlertSubscription).where(
        AlertSubscription.email_key == key)).all()
    same = next((s for s in existing if s.filter_args == args), None)
    if same is None and len(existing) >= MAX_PER_ADDRESS:
        return
    if same is None:
        same = AlertSubscription(email=email, email_key=key, filter_args=args)
        db.session.add(same)
        db.session.flush()
    if same.confirmed_at is None:
        _enqueue(same, "alert_confirm", confirm_url=confirm_url(same))


def _subscription(purpose: str, token: str, max_age: float | None = None) -> AlertSubscription | None:
    """The alert a link is for; None for a broken or outdated link or a deleted alert."""
    try:
        payload = tokens.read(purpose, token, max_age)
    except (tokens.TokenInvalid, tokens.TokenExpired):
        return None
    return db.session.get(AlertSubscription, payload.get("s")) if isinstance(payload, dict) else None


def pending(token: str) -> AlertSubscription | None:
    return _subscription(tokens.ALERT_CONFIRM, token, current_app.config["CONFIRM_MAX_AGE"])


def confirm(subscription: AlertSubscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = subscription.checked_until = utcnow()


def subscribed(token: str) -> AlertSubscription | None:
    return _subscription(tokens.ALERT_UNSUBSCRIBE, token)


def unsubscribe(subscription: AlertSubscription) -> None:
    """The address goes at once, with the alert and (when it was the address's last alert)
    the copies of the mails already sent to it: we keep it for nothing else."""
    others = db.session.scalar(select(func.count()).select_from(AlertSubscription).where(
        AlertSubscription.email_key == subscription.email_key,
        AlertSubscription.id != subscription.id))
    if not others:
        mail.erase_sent_to(subscription.email)
    db.session.delete(subscription)


def _digest_sent_today(subscription: AlertSubscription, now: datetime) -> bool:
    last = subscription.last_digest_at
    return last is not None and _local_day(last) == _local_day(now)


def _local_day(moment: datetime):
    return moment.replace(tzinfo=UTC).astimezone(TIMEZONE).date()


def send_digests(now: datetime | None = None) -> int:
    """At most one digest per alert and (Berlin) day, listing the entries published since the
    last one; alerts without news get no mail. Returns how many digests were queued."""
    now = now or utcnow()
    snapshot = public_snapshot()[0]
    sent = 0
    for subscription in db.session.scalars(select(AlertSubscription).where(
            AlertSubscription.confirmed_at.is_not(None)).order_by(AlertSubscription.id)):
        if _digest_sent_today(subscription, now):
            continue
        new = matching.feed_entries(snapshot, filters_of(subscription),
                                    published_after=subscription.checked_until)
        subscription.checked_until = now
        if not new:
            continue
        _enqueue(subscription, "alert_digest", entries=[item.entry for item in new],
                 page_url=lambda slug: links.external("public.employer", slug=slug),
                 map_url=_map_link(subscription))
        subscription.last_digest_at = now
        sent += 1
    return sent


def _map_link(subscription: AlertSubscription) -> str:
    query = urlencode([tuple(pair) for pair in subscription.filter_args])
    return links.external("public.map_page") + (f"?{query}" if query else "")


def delete_inactive(days: int, now: datetime) -> int:
    """Alerts without a digest (or, never sent one, without confirmation) for `days` go."""
    last_active = func.coalesce(AlertSubscription.last_digest_at, AlertSubscription.confirmed_at)
    result = db.session.execute(delete(AlertSubscription).where(
        AlertSubscription.confirmed_at.is_not(None), last_active < now - timedelta(days=days)))
    return result.rowcount


def delete_unconfirmed(days: int, now: datetime) -> int:
    result = db.session.execute(delete(AlertSubscription).where(
        AlertSubscription.confirmed_at.is_(None),
        AlertSubscription.created_at < now - timedelta(days=days)))
    return result.rowcount
