"""Cookie sessions, skipped where no page needs one.

Open data, QR redirects, embedded maps and static files never read or write the session. Giving them a null
session means no cookie work and no `Vary: Cookie`, so shared caches can keep those answers.
The signing serializer is built once per key instead of twice per request.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

SESSIONLESS_PREFIXES = ("/api/", "/t/", "/static/", "/vendor/", "/einbetten/")


class CampaignSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._serializer_for: tuple | None = None
        self._serializer = None

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._serializer_for != keys:
            self._serializer = super().get_signing_serializer(app)
            self._serializer_for = keys
        return self._serializer

    def open_session(self, app, request):
        if request.path.startswith(SESSIONLESS_PREFIXES):
            return None  # Flask then uses a read-only null session
        return super().open_session(app, request)
