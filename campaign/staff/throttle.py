"""Failed staff sign-ins slow down the client that fails, never the account for everyone.

A client (its address, kept only as a keyed hash) that keeps failing for one account waits
before its next try, twice as long after each further failure; a client that fails across many
accounts waits the same way. Any other client with the right password and code signs in at
once, so wrong guesses cannot keep the holder out. When an account collects many failures, its
holder gets one mail per window, and while that lasts each client has a single free guess.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from campaign.core.mail import enqueue
from campaign.extensions import db
from campaign.models import LoginFailure, StaffUser

WINDOW = timedelta(hours=1)
KEPT_FOR = timedelta(days=1)
FREE_FOR_ACCOUNT = 5  # failures of one client for one account before it has to wait
FREE_FOR_CLIENT = 20  # failures of one client over every account, unknown addresses included
ALERT_AFTER = 5  # failures of one account, from any client, before its holder is told
UNDER_ATTACK = 10  # failures of one account after which each client gets one free guess
FIRST_PAUSE_SECONDS = 30
LONGEST_PAUSE_SECONDS = 15 * 60


def client_key(address: str | None) -> str:
    """The client as a keyed hash: enough to tell clients apart, no IP address in the table."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"login-client:{address or ''}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def pause_after(failures: int, free: int) -> timedelta | None:
    """How long a client waits after this many failures in the window; never for good."""
    if failures < free:
        return None
    seconds = FIRST_PAUSE_SECONDS * 2 ** min(failures - free, 10)
    return timedelta(seconds=min(seconds, LONGEST_PAUSE_SECONDS))


def _failures(now: datetime, *conditions) -> tuple[int, datetime | None]:
    count, latest = db.session.execute(
        select(func.count(), func.max(LoginFailure.at))
        .where(LoginFailure.at > now - WINDOW, *conditions)).one()
    return count, latest


def _waiting(failures: tuple[int, datetime | None], free: int, now: datetime) -> bool:
    count, latest = failures
    pause = pause_after(count, free)
    return pause is not None and latest is not None and latest + pause > now


def account_failures(staff_id: int, now: datetime) -> int:
    return _failures(now, LoginFailure.staff_id == staff_id)[0]


def is_throttled(staff_id: int | None, client: str, now: datetime) -> bool:
    """Whether this client must wait before it may try this account (or any account) again."""
    if _waiting(_failures(now, LoginFailure.client == client), FREE_FOR_CLIENT, now):
        return True
    if staff_id is None:
        return False
    free = 1 if account_failures(staff_id, now) >= UNDER_ATTACK else FREE_FOR_ACCOUNT
    pair = _failures(now, LoginFailure.client == client, LoginFailure.staff_id == staff_id)
    return _waiting(pair, free, now)


def record_failure(staff: StaffUser | None, client: str, now: datetime) -> None:
    db.session.add(LoginFailure(at=now, client=client, staff_id=staff.id if staff else None))
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - KEPT_FOR))
    db.session.flush()
    if staff is not None:
        _alert_holder(staff, now)


def record_success(staff: StaffUser, client: str) -> None:
    """The client proved itself: its own failures for this account no longer count."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.staff_id == staff.id,
                                                  LoginFailure.client == client))


def _alert_holder(staff: StaffUser, now: datetime) -> None:
    """One mail per window to the holder once failures pile up, not one per attempt."""
    failures = account_failures(staff.id, now)
    if failures < ALERT_AFTER:
        return
    if staff.login_alert_at is not None and staff.login_alert_at > now - WINDOW:
        return
    staff.login_alert_at = now
    enqueue(staff.email, "login_alert", failures=failures,
            window_minutes=int(WINDOW.total_seconds() // 60))
