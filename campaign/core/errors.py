"""Error pages in German; a 500 rolls back and shows a reference id, never a traceback."""

from __future__ import annotations

import logging
import secrets

from flask import render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from campaign.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Die Anfrage konnte nicht verarbeitet werden",
          "Die Adresse oder das Formular enthält etwas, das wir nicht lesen können. "
          "Gehen Sie zurück und versuchen Sie es noch einmal."),
    403: ("Kein Zugriff", "Für diese Seite fehlt die Berechtigung."),
    404: ("Seite nicht gefunden",
          "Die Adresse stimmt vielleicht nicht, oder die Seite gibt es nicht mehr."),
    405: ("Diese Aktion ist so nicht möglich",
          "Nutzen Sie die Schaltflächen auf der Seite statt der Adresszeile."),
    410: ("Diese Seite gibt es nicht mehr", "Der Eintrag wurde entfernt."),
    413: ("Die Eingabe ist zu groß",
          "Kürzen Sie Ihre Angaben und senden Sie das Formular noch einmal."),
    429: ("Zu viele Anfragen",
          "Von Ihrem Anschluss kamen gerade sehr viele Anfragen. "
          "Warten Sie ein paar Minuten und versuchen Sie es dann noch einmal."),
    500: ("Es ist ein Fehler aufgetreten",
          "Das liegt nicht an Ihnen. Versuchen Sie es in ein paar Minuten noch einmal."),
    503: ("Der Dienst ist gerade nicht erreichbar",
          "Wir arbeiten daran. Ihre bisher gespeicherten Angaben sind sicher. "
          "Versuchen Sie es in ein paar Minuten noch einmal."),
}


def render_error(code: int, reference: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    if request_ctx.url_adapter is None:  # untrusted Host: no URLs can be built
        return f"{_(title)}. {_(text)}", code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", code=code, title=_(title), text=_(text),
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
