"""Problem reports: anyone can say "this entry is wrong" without an account; staff read them."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import Select, select
from wtforms import RadioField, TextAreaField
from wtforms.validators import StopValidation

from campaign.core import form_tokens
from campaign.core.forms import BotCheckForm
from campaign.core.text import has_forbidden_characters
from campaign.core.validators import multiline_filter
from campaign.extensions import db, limiter
from campaign.models import Employer, ProblemReport, Status

bp = Blueprint("reports", __name__)
log = logging.getLogger(__name__)

MESSAGE_MAX = 1000
KINDS = {
    "closed": _l("Die Tür war zu oder niemand wusste Bescheid"),
    "wrong_data": _l("Angaben stimmen nicht, zum Beispiel Zeiten oder Adresse"),
    "gone": _l("Den Betrieb gibt es dort nicht mehr"),
    "other": _l("Etwas anderes"),
}


def open_reports() -> Select:
    """Unresolved reports, newest first, with their entry: for the admin panel to paginate."""
    return (select(ProblemReport, Employer).join(Employer)
            .where(ProblemReport.resolved_at.is_(None))
            .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc()))


def _plain_message(form, field):
    if has_forbidden_characters(field.data or "", multiline=True):
        raise StopValidation(_l("Dein Text enthält unsichtbare Steuerzeichen. Tipp ihn neu ein"))
    if len(field.data or "") > MESSAGE_MAX:
        raise StopValidation(_l("Dein Text darf höchstens %(max)d Zeichen haben", max=MESSAGE_MAX))


def _chosen_kind(form, field):
    if field.data not in KINDS:
        raise StopValidation(_l("Wähle aus, was nicht stimmt"))


class ReportForm(BotCheckForm):
    kind = RadioField(_l("Was stimmt nicht?"), choices=list(KINDS.items()),
                      validators=[_chosen_kind], validate_choice=False)
    message = TextAreaField(_l("Was ist passiert? (freiwillig)"), filters=[multiline_filter],
                            validators=[_plain_message])


def _report_limit() -> str:
    return current_app.config.get("REPORT_RATE_LIMIT", "20 per hour")


def _published(slug: str) -> Employer:
    employer = db.session.scalar(select(Employer).where(Employer.slug == slug))
    if employer is None or employer.status != Status.PUBLISHED:
        abort(404)
    return employer


def render_form(employer: Employer, form: ReportForm, notice: str | None = None, status=200):
    form.arm()
    return render_template("public/report.html", employer=employer, form=form,
                           notice=notice, max_length=MESSAGE_MAX), status


@bp.route("/betrieb/<slug>/problem-melden", methods=["GET", "POST"])
@limiter.limit(_report_limit, methods=["POST"])
def new(slug: str):
    employer = _published(slug)
    form = ReportForm()
    if request.method == "GET":
        return render_form(employer, form)
    if form.filled_by_bot():
        log.info("Problem report dropped as spam: honeypot filled")
        return redirect(url_for("reports.thanks", slug=slug), code=303)
    if form.sent_too_fast(current_app.config["MIN_FILL_SECONDS"]):
        return render_form(employer, form, _("Das ging sehr schnell. Prüf deine Angaben und "
                                             "schick das Formular dann noch einmal ab."), 400)
    if not form.validate():
        return render_form(employer, form, status=400)
    if not form_tokens.spend(form.form_started.data):
        log.info("Problem report ignored: this rendered form was sent before")
        return redirect(url_for("reports.thanks", slug=slug), code=303)
    db.session.add(ProblemReport(employer_id=employer.id, kind=form.kind.data,
                                 message=form.message.data or ""))
    db.session.commit()
    return redirect(url_for("reports.thanks", slug=slug), code=303)


@bp.get("/betrieb/<slug>/problem-melden/danke")
def thanks(slug: str):
    return render_template("public/report_thanks.html", employer=_published(slug))


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """An expired form keeps what was typed: show it again with a fresh token."""
    employer = _published(request.view_args.get("slug", "")) if request.view_args else abort(400)
    form = ReportForm(formdata=request.form, meta={"csrf": False})
    return render_form(employer, form, _("Die Seite war lange geöffnet. Deine Angaben sind noch "
                                         "da. Schick das Formular noch einmal ab."), 400)
