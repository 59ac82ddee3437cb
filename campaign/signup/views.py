"""Employer sign-up (/mitmachen) and the double opt-in confirmation (/bestaetigen/<token>)."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from campaign.core import form_tokens, tokens
from campaign.core.database import intend_to_write
from campaign.core.forms import ActionForm
from campaign.core.text import mask_email
from campaign.entries import invitations
from campaign.entries import lifecycle as operations
from campaign.extensions import db, limiter
from campaign.geocoding import placement
from campaign.models import Employer, Status
from campaign.selfservice.forms import MagicLinkForm
from campaign.signup.forms import SignupForm

bp = Blueprint("registration", __name__)
log = logging.getLogger(__name__)


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def render_signup(form: SignupForm, notice: str | None = None, status: int = 200):
    form.arm()
    return render_template("registration/signup.html", form=form, notice=notice), status


@bp.route("/mitmachen", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup():
    invitation = request.args.get(invitations.QUERY_ARG)
    if request.method == "GET":
        return render_signup(_prefilled_form(invitation) if invitation else SignupForm())
    form = SignupForm()
    if form.filled_by_bot():
        log.info("Sign-up rejected as spam: honeypot filled")
        return _thanks_redirect(None)
    if not form.validate():
        return render_signup(form, status=400)
    if form.sent_too_fast(current_app.config["MIN_FILL_SECONDS"]):
        log.info("Sign-up held back: form sent too fast or without a valid timer")
        return render_signup(form, _("Das ging sehr schnell. Prüfen Sie Ihre Angaben und senden "
                                     "Sie das Formular dann noch einmal ab."), 400)
    if not form_tokens.spend(form.form_started.data):
        log.info("Sign-up ignored: this rendered form was sent before")
        return redirect(url_for("registration.thanks"), code=303)  # as for a double click
    return _register(form)


def _prefilled_form(invitation: str) -> SignupForm:
    """The sign-up form filled with what the city knows of an invited company."""
    intend_to_write()  # records that the invitation was opened
    prefill = invitations.invitation_prefill(invitation)
    db.session.commit()
    return SignupForm(data=prefill) if prefill else SignupForm()


def _register(form: SignupForm):
    address = form.contact_email.data
    invitation = request.args.get(invitations.QUERY_ARG)
    details = form.details()
    placement.place(details.public)
    try:
        if invitations.accept_invitation(details, address, invitation) is None:
            operations.register(details, address)
        db.session.commit()
    except operations.DuplicateRegistration:
        db.session.commit()  # the notice to the registered address
    except IntegrityError:  # a concurrent identical sign-up won the race
        db.session.rollback()
        existing = operations.find_by_contact_email(address)
        if existing is None:
            raise
        operations.notify_duplicate(existing)
        db.session.commit()
    return _thanks_redirect(address)


def _thanks_redirect(address: str | None):
    session["signup_address"] = mask_email(address) if address else ""
    return redirect(url_for("registration.thanks"), code=303)


@bp.get("/mitmachen/danke")
def thanks():
    return render_template("registration/thanks.html", address=session.get("signup_address", ""))


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """An expired form keeps every value: show it again with a fresh token."""
    if request.endpoint != "registration.signup":
        return render_template("errors/csrf.html"), 400
    form = SignupForm(formdata=request.form, meta={"csrf": False})
    return render_signup(form, _("Die Seite war lange geöffnet. Ihre Angaben sind noch da. "
                                 "Senden Sie das Formular noch einmal ab."), 400)


def _employer_from_confirm_token(token: str) -> tuple[Employer | None, str | None]:
    try:
        payload = tokens.read(tokens.CONFIRM, token, current_app.config["CONFIRM_MAX_AGE"])
    except tokens.TokenExpired:
        return None, "expired"
    except tokens.TokenInvalid:
        return None, "invalid"
    employer = db.session.get(Employer, payload.get("e")) if isinstance(payload, dict) else None
    if employer is None or employer.status == Status.WITHDRAWN:
        return None, "invalid"
    return employer, None


@bp.route("/bestaetigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    employer, problem = _employer_from_confirm_token(token)
    if problem:
        return render_template("registration/link_problem.html", problem=problem,
                               form=MagicLinkForm()), 400
    form = ActionForm()
    if request.method == "POST" and employer.status == Status.PENDING:
        return _confirmed(employer)  # a second click on the button: the same answer
    if employer.status != Status.UNCONFIRMED:
        return render_template("registration/confirmed.html", employer=employer, already=True)
    if request.method == "GET":
        return render_template("registration/confirm.html", employer=employer, form=form)
    if not form.validate():
        abort(400)
    try:
        operations.confirm(employer)
        db.session.commit()
    except StaleDataError:  # a simultaneous click confirmed it first
        db.session.rollback()
        if employer.status == Status.UNCONFIRMED:
            raise
    return _confirmed(employer)


def _confirmed(employer: Employer) -> str:
    return render_template("registration/confirmed.html", employer=employer, already=False)
