"""Each rendered public form may be sent once: the nonce of its timer token is spent on use.

Without this, one rendered sign-up form (one valid timer) could be posted again and again. The
nonces live in the database, so every worker sees them, and are kept as long as a timer is
honoured; an older timer counts as missing (the form is shown again with its values).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from campaign.core import tokens
from campaign.extensions import db
from campaign.models import UsedFormToken, utcnow

KEPT_FOR = timedelta(days=7)


def spend(timer_token: str | None) -> bool:
    """Mark the form's timer as used; False if it was used before, forged or too old."""
    timer = tokens.read_form_timer(timer_token)
    if timer is None or tokens.seconds_since(timer_token) > KEPT_FOR.total_seconds():
        return False
    now = utcnow()
    db.session.execute(delete(UsedFormToken).where(UsedFormToken.expires_at < now))
    try:
        with db.session.begin_nested():
            db.session.add(UsedFormToken(nonce=timer[1], expires_at=now + KEPT_FOR))
    except IntegrityError:
        return False
    return True
