"""Self-service by magic link: ask for a link, edit, pause, resume or withdraw the entry."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from campaign.core import tokens
from campaign.core.database import intend_to_write
from campaign.core.downloads import content_disposition
from campaign.core.forms import ActionForm
from campaign.core.text import casefold_email
from campaign.entries import lifecycle as operations
from campaign.entries import reconfirm
from campaign.entries.retention import personal_data_export
from campaign.extensions import db, limiter
from campaign.geocoding import placement
from campaign.models import Employer, Status
from campaign.selfservice.forms import MagicLinkForm, ManageForm
from campaign.stickers.files import (
    FORMAT_LABELS,
    printable_problem,
    sticker_download,
)

bp = Blueprint("selfservice", __name__, url_prefix="/mein-eintrag")

# Why an action was refused when the city decided the entry's state.
STAFF_DECISION = {
    Status.PAUSED: _l("Das Team der Stadt hat Ihren Eintrag pausiert. Nur das Team kann ihn "
                      "wieder auf der Karte zeigen."),
    Status.REJECTED: _l("Das Team der Stadt hat Ihren Eintrag abgelehnt. Deshalb können Sie "
                        "ihn nicht mehr ändern."),
}


class LinkProblem(Exception):
    def __init__(self, problem: str):
        self.problem = problem


def _address_key() -> str:
    return "link:" + casefold_email(request.form.get("email", ""))[:254]


@bp.route("", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LINK_RATE_LIMIT_PER_ADDRESS"], methods=["POST"],
               key_func=_address_key)
def request_link():
    form = MagicLinkForm()
    if request.method == "POST" and form.validate():
        operations.send_manage_link(form.email.data)
        db.session.commit()
        return render_template("selfservice/link_sent.html")
    status = 400 if form.errors else 200
    return render_template("selfservice/request_link.html", form=form), status


def _grant_is_valid(employer: Employer) -> bool:
    grant = session.get("manage") or {}
    return (grant.get("e") == employer.id and grant.get("n") == employer.private.login_nonce
            and grant.get("until", 0) > time.time())


def _open_with_token(token: str) -> Employer:
    """The entry this link manages; the first use of a fresh link starts a session."""
    try:
        payload, age = tokens.read_with_age(tokens.MANAGE, token)
    except tokens.TokenInvalid:
        raise LinkProblem("invalid") from None
    if not isinstance(payload, dict):
        raise LinkProblem("invalid")
    if (session.get("manage") or {}).get("e") != payload.get("e"):
        intend_to_write()  # a first click uses the link up: that GET writes
    employer = db.session.get(Employer, payload.get("e"))
    if employer is None or employer.private is None:
        raise LinkProblem("invalid")
    if _grant_is_valid(employer):
        return employer
    if payload.get("n") != employer.private.login_nonce:
        raise LinkProblem("used")
    if age > payload.get("t", 0):
        raise LinkProblem("expired")
    nonce = operations.consume_manage_link(employer)
    db.session.commit()
    session["manage"] = {"e": employer.id, "n": nonce,
                         "until": time.time() + current_app.config["MANAGE_SESSION_SECONDS"]}
    return employer


@bp.errorhandler(LinkProblem)
def link_problem(error: LinkProblem):
    return render_template("selfservice/link_problem.html", problem=error.problem,
                           form=MagicLinkForm()), 400


def _manage_page(employer: Employer, form: ManageForm, token: str, **extra) -> str:
    return render_template("selfservice/manage.html", employer=employer, form=form, token=token,
                           sticker_formats=FORMAT_LABELS, **extra)


@bp.errorhandler(operations.Conflict)
@bp.errorhandler(StaleDataError)
def changed_meanwhile(error):
    """The entry changed while the employer looked at it (often: the city's team reviewed it).
    Nothing was saved; show the page on the new state, an edit with what they typed."""
    db.session.rollback()
    token = request.view_args["token"]
    employer = _open_with_token(token)
    form = ManageForm()
    if request.endpoint == "selfservice.manage" and form.validate():
        conflict = form.differences(employer, include_pending=True)
        text = _("Während Sie Ihre Angaben bearbeitet haben, hat sich Ihr Eintrag geändert, zum "
                 "Beispiel weil das Team der Stadt ihn gerade geprüft hat. Ihre Änderungen sind "
                 "noch nicht gespeichert, sie stehen unten im Formular. Prüfen Sie sie und "
                 "speichern Sie dann noch einmal.")
    else:
        form = ManageForm(formdata=None)
        form.fill_from(employer)
        conflict = []
        text = _("Ihr Eintrag hat sich gerade geändert, zum Beispiel weil das Team der Stadt ihn "
                 "geprüft hat. Ihre Aktion wurde deshalb nicht ausgeführt. Sehen Sie sich den "
                 "neuen Stand an und versuchen Sie es dann noch einmal.")
    form.version.data = str(employer.version)
    return _manage_page(employer, form, token, conflict=conflict, conflict_text=text,
                        conflict_title=_("Noch nicht gespeichert")), 409


@bp.route("/<token>", methods=["GET", "POST"])
def manage(token: str):
    employer = _open_with_token(token)
    form = ManageForm()
    if request.method == "GET":
        form.fill_from(employer)
    elif form.validate():
        details = form.details()
        db.session.commit()  # hold no write lock while the geocoder answers
        placement.place(details.public, current=employer)
        try:
            outcome = operations.update_details(employer, details, seen=form.seen_version())
            db.session.commit()
        except operations.DecidedByStaff:
            flash(str(STAFF_DECISION[Status.REJECTED]))
            return redirect(url_for("selfservice.manage", token=token), code=303)
        flash(_("Ihre Änderungen sind gespeichert und jetzt sichtbar.") if outcome == "applied"
              else _("Danke! Wir prüfen Ihre Änderungen. Bis dahin bleibt der bisherige Eintrag "
                     "sichtbar."))
        return redirect(url_for("selfservice.manage", token=token), code=303)
    return _manage_page(employer, form, token), 400 if form.errors else 200


def _action(token: str, operation, done: str, not_possible: str):
    employer = _open_with_token(token)
    if not ActionForm().validate():
        abort(400)
    changed = operation(employer)
    db.session.commit()
    if not changed and operations.decided_by_staff(employer):
        not_possible = str(STAFF_DECISION[employer.status])
    flash(done if changed else not_possible)
    return redirect(url_for("selfservice.manage", token=token), code=303)


@bp.post("/<token>/pausieren")
def pause(token: str):
    return _action(token, operations.pause,
                   _("Ihr Eintrag ist pausiert und nicht mehr auf der Karte zu sehen."),
                   _("Nur ein freigegebener Eintrag kann pausiert werden."))


@bp.post("/<token>/fortsetzen")
def resume(token: str):
    return _action(token, operations.resume,
                   _("Ihr Eintrag ist wieder auf der Karte zu sehen."),
                   _("Der Eintrag ist nicht pausiert."))


@bp.post("/<token>/angaben-stimmen")
def still_true(token: str):
    return _action(token, reconfirm.reconfirm,
                   _("Danke! Wir haben vermerkt, dass Ihre Angaben noch stimmen."),
                   _("Nur ein freigegebener Eintrag kann bestätigt werden."))


@bp.route("/<token>/zurueckziehen", methods=["GET", "POST"])
def withdraw(token: str):
    employer = _open_with_token(token)
    form = ActionForm()
    if request.method == "GET" or not form.validate():
        return render_template("selfservice/withdraw.html", employer=employer, form=form,
                               token=token)
    operations.withdraw(employer)
    db.session.commit()
    session.pop("manage", None)
    return redirect(url_for("selfservice.withdrawn"), code=303)


@bp.get("/zurueckgezogen")
def withdrawn():
    return render_template("selfservice/withdrawn.html")


@bp.get("/<token>/daten.json")
def data_export(token: str):
    """All personal data of this entry as JSON (GDPR Art. 15 and 20)."""
    employer = _open_with_token(token)
    response = jsonify(personal_data_export(employer))
    response.headers["Content-Disposition"] = content_disposition("meine-daten.json")
    return response


@bp.get("/<token>/aufkleber.pdf")
def sticker(token: str):
    """The employer's own sticker, once the entry is published."""
    employer = _open_with_token(token)
    fmt = request.args.get("format", "a6")
    if employer.status != Status.PUBLISHED or fmt not in FORMAT_LABELS:
        abort(404)
    if printable_problem(employer):
        return render_template("selfservice/sticker_unprintable.html", token=token), 409
    return sticker_download(employer, fmt, briefing=True)
