"""Personal invitation links: /mitmachen?einladung=<token> opens the sign-up form pre-filled.

The sign-up view calls `invitation_prefill(token)` on GET and `accept_invitation(...)` before
`operations.register(...)` on POST; both add/flush, the view commits. Only the personal link
turns an invitation into a registration: a sign-up without it that uses an invited address is a
separate candidate (see lifecycle.register), which staff merge with `merge_candidate`.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from campaign.core import audit, links, tokens
from campaign.core.mail import enqueue
from campaign.core.mail_caps import enqueue_capped
from campaign.core.text import casefold_email
from campaign.entries.decisions import NotPossible, touch
from campaign.entries.lifecycle import (
    PUBLIC_FIELDS,
    Details,
    consume_manage_link,
    find_by_contact_email,
)
from campaign.extensions import db
from campaign.models import Employer, EmployerPrivate, Status, Wave, utcnow

QUERY_ARG = "einladung"
DEFAULT_MAX_AGE = 180 * 24 * 3600
PREFILLED = ("name", "sector", "street", "postal_code", "city", "district", "quarter", "website")
MERGED_PRIVATE = ("contact_name", "contact_email", "contact_phone", "consent_requested_at",
                  "consent_confirmed_at", "privacy_version")


def invitation_url(employer: Employer) -> str:
    token = tokens.make(tokens.INVITE, {"e": employer.id, "n": employer.private.login_nonce})
    return links.external("registration.signup", **{QUERY_ARG: token})


def send(employer: Employer) -> None:
    """Queue the personal invitation mail for an invited entry."""
    enqueue(employer.private.contact_email, "invitation", employer=employer,
            invitation_url=invitation_url(employer))
    audit.record(audit.SYSTEM, "invited", employer.id)


def invited_employer(token: str | None) -> Employer | None:
    """The still-invited entry this token was made for, or None."""
    if not token:
        return None
    max_age = current_app.config.get("INVITATION_MAX_AGE", DEFAULT_MAX_AGE)
    try:
        payload = tokens.read(tokens.INVITE, token, max_age)
    except (tokens.TokenInvalid, tokens.TokenExpired):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), int):
        return None
    employer = db.session.get(Employer, payload["e"])
    if employer is None or employer.status != Status.INVITED or employer.private is None:
        return None
    return employer if employer.private.login_nonce == payload.get("n") else None


def invitation_prefill(token: str | None) -> dict | None:
    """Form data for the sign-up form, and note that the invitation was opened."""
    employer = invited_employer(token)
    if employer is None:
        return None
    db.session.execute(update(EmployerPrivate)
                       .where(EmployerPrivate.id == employer.private.id,
                              EmployerPrivate.invitation_opened_at.is_(None))
                       .values(invitation_opened_at=utcnow()))
    data = {key: getattr(employer, key) for key in PREFILLED if getattr(employer, key)}
    private = employer.private
    data.update(contact_name=private.contact_name, contact_email=private.contact_email,
                contact_phone=private.contact_phone)
    return {k: v for k, v in data.items() if v}


def accept_invitation(details: Details, contact_email: str, token: str | None) -> Employer | None:
    """Turn the invited entry of this personal link into a registration awaiting confirmation,
    or None if the link does not fit."""
    employer = invited_employer(token)
    if employer is None:
        return None
    other = find_by_contact_email(contact_email)
    if other is not None and other.id != employer.id:
        return None
    for key, value in details.public.items():
        setattr(employer, key, value)
    private = employer.private
    for key, value in details.private.items():
        setattr(private, key, value)
    private.contact_email, private.contact_email_key = contact_email, casefold_email(contact_email)
    private.consent_requested_at = utcnow()
    private.invitation_opened_at = private.invitation_opened_at or utcnow()
    employer.status = Status.UNCONFIRMED
    db.session.flush()
    audit.record(audit.EMPLOYER, "invitation_accepted", employer.id)
    enqueue_capped(contact_email, "confirm", employer=employer, confirm_url=links.confirm_url(employer),
            manage_url=links.manage_url(employer, long_lived=True))
    return employer


def invitation_for(candidate: Employer) -> Employer | None:
    """The invited entry whose address this sign-up used, while it is still there."""
    private = candidate.private
    if private is None or private.invited_entry_id is None:
        return None
    return db.session.get(Employer, private.invited_entry_id)


def merge_candidate(candidate: Employer, actor: str) -> Employer:
    """Move a confirmed sign-up into the invitation it belongs to; the invited entry keeps its
    id, wave, notes and sticker, takes the employer's details and consent, and the candidate goes.
    """
    invited = invitation_for(candidate)
    if invited is None or invited.status != Status.INVITED:
        raise NotPossible(_l("Die Einladung ist nicht mehr offen. Prüfen Sie die Anmeldung "
                             "für sich oder lehnen Sie sie ab"))
    if candidate.status != Status.PENDING:
        raise NotPossible(_l("Die Anmeldung ist noch nicht per E-Mail bestätigt"))
    for key in PUBLIC_FIELDS:
        setattr(invited, key, getattr(candidate, key))
    source, target = candidate.private, invited.private
    for key in MERGED_PRIVATE:
        setattr(target, key, getattr(source, key))
    target.invitation_opened_at = target.invitation_opened_at or source.consent_requested_at
    consume_manage_link(invited)  # the personal invitation link has done its job
    invited.status = Status.PENDING
    touch(invited)
    audit.record(actor, "invitation_merged", invited.id, candidate=candidate.id)
    db.session.delete(candidate)
    db.session.flush()
    return invited


def set_wave_end(wave: Wave, ends_on: date | None, actor: str) -> None:
    """The day the wave's invitation round ends; retention counts from it."""
    wave.ends_on = ends_on
    audit.record(actor, "wave_end_set", wave=wave.id, ends_on=ends_on.isoformat() if ends_on else "")
