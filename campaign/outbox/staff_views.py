"""The staff page "Nicht zugestellte E-Mails": what did not go out, why, and send it again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.admin.access import actor, bp, role_required
from campaign.core import audit
from campaign.core.forms import ActionForm
from campaign.extensions import db
from campaign.models import OutboxMail, Role
from campaign.outbox import undeliverable

SHOWN = 200


@bp.get("/mails/unzustellbar")
def undeliverable_mails():
    mails = db.session.scalars(undeliverable.undeliverable().limit(SHOWN)).all()
    return render_template("admin/undeliverable_mails.html", mails=mails,
                           total=undeliverable.undeliverable_count(), why=undeliverable.why,
                           form=ActionForm())


@bp.post("/mails/<id:id>/erneut-senden")
@role_required(Role.REVIEWER)
def resend_mail(id: int):
    if not ActionForm().validate():
        abort(400)
    db.get_or_404(OutboxMail, id)
    if undeliverable.resend(id):
        audit.record(actor(), "mail_resent", mail=id)
        db.session.commit()
        flash(_("Die E-Mail wird jetzt erneut gesendet. Klappt es wieder nicht, steht sie "
                "gleich wieder in dieser Liste."))
    else:
        flash(_("Diese E-Mail ist schon wieder unterwegs oder zugestellt."))
    return redirect(url_for("admin.undeliverable_mails"), code=303)
