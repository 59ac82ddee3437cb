"""A sign-up that used an invited company's address without the personal link: staff see the
invitation next to it and merge the two."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from campaign.admin.access import actor, bp, role_required
from campaign.core.forms import ActionForm
from campaign.entries import invitations
from campaign.entries.decisions import NotPossible
from campaign.extensions import db
from campaign.models import Employer, Role


@bp.app_template_global()
def invitation_for(employer: Employer) -> Employer | None:
    return invitations.invitation_for(employer)


@bp.post("/pruefen/<id:id>/einladung-zusammenfuehren")
@role_required(Role.REVIEWER)
def merge_invitation(id: int):
    if not ActionForm().validate():
        abort(400)
    candidate = db.get_or_404(Employer, id)
    try:
        invited = invitations.merge_candidate(candidate, actor())
        db.session.commit()
    except NotPossible as problem:
        db.session.rollback()
        flash(str(problem))
        return redirect(url_for("admin.review", id=id), code=303)
    flash(_("Die Anmeldung ist mit der Einladung zusammengeführt. Prüfen Sie jetzt den Eintrag."))
    return redirect(url_for("admin.review", id=invited.id), code=303)
