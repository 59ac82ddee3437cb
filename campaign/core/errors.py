"""Error pages in the visitor's language; a 500 rolls back and shows a reference id, never a traceback.

A database that cannot be reached or cannot write answers 503 and says whether the visitor's
input was lost; a write that lost an optimistic-lock race answers 409. Feature blueprints
(admin, self-service) handle their own conflicts first, keeping what was typed.
"""

from __future__ import annotations

import logging
import secrets

from flask import current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from campaign.core import database
from campaign.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Die Anfrage konnte nicht verarbeitet werden"),
          _l("Die Adresse oder das Formular enthält etwas, das wir nicht lesen können. "
          "Gehen Sie zurück und versuchen Sie es noch einmal.")),
    403: (_l("Kein Zugriff"), _l("Für diese Seite fehlt die Berechtigung.")),
    404: (_l("Seite nicht gefunden"),
          _l("Die Adresse stimmt vielleicht nicht, oder die Seite gibt es nicht mehr.")),
    405: (_l("Diese Aktion ist so nicht möglich"),
          _l("Nutzen Sie die Schaltflächen auf der Seite statt der Adresszeile.")),
    410: (_l("Diese Seite gibt es nicht mehr"), _l("Der Eintrag wurde entfernt.")),
    409: (_l("Jemand anderes hat gerade dieselben Angaben geändert"),
          _l("Ihre Änderung wurde deshalb nicht gespeichert. Laden Sie die Seite neu, prüfen Sie "
          "den aktuellen Stand und versuchen Sie es dann noch einmal.")),
    413: (_l("Die Eingabe ist zu groß"),
          _l("Kürzen Sie Ihre Angaben und senden Sie das Formular noch einmal.")),
    429: (_l("Zu viele Anfragen"),
          _l("Von Ihrem Anschluss kamen gerade sehr viele Anfragen. "
          "Warten Sie ein paar Minuten und versuchen Sie es dann noch einmal.")),
    500: (_l("Es ist ein Fehler aufgetreten"),
          _l("Das liegt nicht an Ihnen. Versuchen Sie es in ein paar Minuten noch einmal.")),
    503: (_l("Der Dienst ist gerade nicht erreichbar"),
          _l("Wir arbeiten daran. Versuchen Sie es in ein paar Minuten noch einmal.")),
}
# A 503 after the visitor sent something: that input did not arrive.
NOT_SAVED = {
    "unreachable": (_l("Ihre Eingabe wurde nicht gespeichert"),
                    _l("Unsere Datenbank ist gerade nicht erreichbar, deshalb ist das, was Sie eben "
                    "abgeschickt haben, nicht bei uns angekommen. Gehen Sie im Browser einen "
                    "Schritt zurück (Ihre Angaben stehen dort meist noch im Formular) und senden "
                    "Sie das Formular in ein paar Minuten noch einmal ab.")),
    "disk_full": (_l("Ihre Eingabe wurde nicht gespeichert"),
                  _l("Unser Speicher ist gerade voll, deshalb konnten wir das, was Sie eben "
                  "abgeschickt haben, nicht speichern. Wir sind informiert. Gehen Sie im Browser "
                  "einen Schritt zurück (Ihre Angaben stehen dort meist noch im Formular) und "
                  "senden Sie das Formular später noch einmal ab.")),
}


def render_error(code: int, reference: str | None = None, message: tuple[str, str] | None = None):
    title, text = message or MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if request_ctx.url_adapter is None:  # untrusted Host: no URLs can be built
        return f"{title}. {text}", code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", code=code, title=str(title), text=str(text),
                           reference=reference), code


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    response = render_error(error.code)
    if error.code == 405 and error.valid_methods:
        return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
    return response


def handle_database_unavailable(error: OperationalError):
    database.rollback_quietly(db.session)
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    cause = "disk_full" if database.is_disk_full(error, url) else "unreachable"
    if cause == "disk_full":
        log.error("Database cannot write (disk full) on %s %s: %s", request.method, request.path,
                  database.describe(error))
    else:
        if not database.is_busy(error):  # a busy SQLite is not an outage of public data
            database.outage(current_app).failed()
        log.error("Database unavailable on %s %s: %s", request.method, request.path,
                  database.describe(error))
    sent_input = request.method not in database.SAFE_METHODS
    return render_error(503, message=NOT_SAVED[cause] if sent_input else None)


def handle_conflict(error: StaleDataError):
    """Someone else changed the same row in between: nothing of this request was saved."""
    db.session.rollback()
    log.info("Edit conflict on %s %s: %s", request.method, request.path, error)
    return render_error(409)


def handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError):
        return handle_database_unavailable(original)
    if isinstance(original, StaleDataError):
        return handle_conflict(original)
    db.session.rollback()
    reference = secrets.token_hex(4)
    log.error("Unhandled %s on %s %s [ref %s]", type(original).__name__, request.method,
              request.path, reference, exc_info=original)
    return render_error(500, reference)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(StaleDataError, handle_conflict)
    app.register_error_handler(InternalServerError, handle_unexpected)
