"""Signed, purpose-bound tokens for e-mail links and form timing."""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM = "confirm-registration"
MANAGE = "manage-entry"
FORM_TIMER = "form-timer"
INVITE = "invitation"
ALERT_CONFIRM = "alert-confirm"
ALERT_UNSUBSCRIBE = "alert-unsubscribe"


class TokenExpired(Exception):
    def __init__(self, payload: Any = None):
        super().__init__("expired")
        self.payload = payload


class TokenInvalid(Exception):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    app = current_app
    keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or []), app.config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=purpose)


def make(purpose: str, payload: Any) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str, max_age: float | None = None) -> Any:
    """Return the payload, or raise TokenExpired (with the payload) or TokenInvalid."""
    serializer = _serializer(purpose)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        try:
            payload = serializer.load_payload(exc.payload) if exc.payload is not None else None
        except BadSignature:
            payload = None
        raise TokenExpired(payload) from None
    except (BadSignature, UnicodeError, ValueError):
        raise TokenInvalid() from None


def read_with_age(purpose: str, token: str) -> tuple[Any, float]:
    """Return the payload and its age in seconds, or raise TokenInvalid."""
    try:
        payload, signed_at = _serializer(purpose).loads(token, return_timestamp=True)
    except (BadSignature, UnicodeError, ValueError):
        raise TokenInvalid() from None
    return payload, time.time() - signed_at.timestamp()


def form_timer(started_at: float | None = None) -> str:
    """A signed render time with a nonce of its own, so each rendered form can be sent once."""
    return make(FORM_TIMER, {"t": time.time() if started_at is None else started_at,
                             "n": secrets.token_urlsafe(12)})


def read_form_timer(timer_token: str | None) -> tuple[float, str] | None:
    """(render time, nonce) of a timer token, or None if it is missing or forged."""
    try:
        payload = read(FORM_TIMER, timer_token or "")
    except (TokenInvalid, TokenExpired):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        return None
    started = payload.get("t")
    return (started, payload["n"]) if isinstance(started, int | float) else None


def seconds_since(timer_token: str | None) -> float | None:
    """Seconds since the form was first rendered, or None if the stamp is missing or forged."""
    timer = read_form_timer(timer_token)
    return None if timer is None else time.time() - timer[0]
