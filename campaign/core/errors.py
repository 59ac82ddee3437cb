"""Error pages in the visitor's language; a 500 rolls back and shows a reference id, never a
traceback."""

from __future__ import annotations

import logging
import secrets

from flask import render_template, request
from flask.globals import request_ctx
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from campaign.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Die Anfrage konnte nicht verarbeitet werden"),
          _l("Die Adresse oder das Formular enthält etwas, das wir nicht lesen können. "
             "Gehen Sie zurück und versuchen Sie es noch einmal.")),
    403: (_l("Kein Zugriff"),
          _l("Für diese Seite fehlt die Berechtigung.")),
    404: (_l("Seite nicht gefunden"),
          _l("Die Adresse stimmt vielleicht nicht, oder die Seite gibt es nicht mehr.")),
    405: (_l("Diese Aktion ist so nicht möglich"),
          _l("Nutzen Sie die Schaltflächen auf der Seite statt der Adresszeile.")),
    410: (_l("Diese Seite gibt es nicht mehr"),
          _l("Der Eintrag wurde entfernt.")),
    413: (_l("Die Eingabe ist zu groß"),
          _l("Kürzen Sie Ihre Angaben und senden Sie das Formular noch einmal.")),
    429: (_l("Zu viele Anfragen"),
          _l("Von Ihrem Anschluss kamen gerade sehr viele Anfragen. "
             "Warten Sie ein paar Minuten und versuchen Sie es dann noch einmal.")),
    500: (_l("Es ist ein Fehler aufgetreten"),
          _l("Das liegt nicht an Ihnen. Versuchen Sie es in ein paar Minuten noch einmal.")),
    503: (_l("Der Dienst ist gerade nicht erreichbar"),
          _l("Wir arbeiten daran. Ihre bisher gespeicherten Angaben sind sicher. "
             "Versuchen Sie es in ein paar Minuten noch einmal.")),
}


def render_error(code: int, reference: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
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
    db.session.rollback()
    log.error("Database unavailable on %s %s: %s", request.method, request.path,
              type(error.orig).__name__)
    return render_error(503)


def handle_unexpected(error: Exception):
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, OperationalError):
        return handle_database_unavailable(original)
    db.session.rollback()
    reference = secrets.token_hex(4)
    log.error("Unhandled %s on %s %s [ref %s]", type(original).__name__, request.method,
              request.path, reference, exc_info=original)
    return render_error(500, reference)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InternalServerError, handle_unexpected)
