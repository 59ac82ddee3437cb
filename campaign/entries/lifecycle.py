"""Business operations on employer entries. They add and flush; the caller commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy.exc import IntegrityError

from campaign.core import audit, links, mail
from campaign.core.mail_caps import enqueue_capped
from campaign.core.text import casefold_email, slugify
from campaign.extensions import db
from campaign.models import (
    Editor,
    Employer,
    EmployerPrivate,
    PausedBy,
    Status,
    field_names,
    new_nonce,
    new_qr_code,
    utcnow,
)

# The public fields the employer edits; once published, changes to them wait for review.
PUBLIC_FIELDS = field_names(private=False, editor=Editor.EMPLOYER)
# Scrubbed on withdrawal: everything that could identify a person.
SCRUBBED_ON_WITHDRAWAL = dict.fromkeys(field_names(identifying=True), "")


class DecidedByStaff(Exception):
    """The city rejected or paused this entry; the employer cannot undo that decision."""


class Conflict(Exception):
    """Someone else changed the entry since this person looked at it: nothing was saved."""


class DuplicateRegistration(Exception):
    """The contact address already has an entry; the existing owner was e-mailed."""


@dataclass
class Details:
    """Validated form values split into public and private parts."""

    public: dict[str, Any]
    private: dict[str, Any]


def find_by_contact_email(address: str) -> Employer | None:
    return db.session.scalar(
        db.select(Employer).join(EmployerPrivate)
        .where(EmployerPrivate.contact_email_key == casefold_email(address))
    )


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(db.select(Employer.id).where(Employer.slug == slug)) is not None


def unique_slug(name: str) -> str:
    """The name as a slug, with a short random suffix when another entry has it already."""
    base = slugify(name)
    if not _slug_taken(base):
        return base
    return f"{base}-{new_qr_code()[:5].lower()}"


def insert_employer(employer: Employer) -> None:
    """Add and flush; a concurrent insert of the same slug gets a suffixed slug instead."""
    for _attempt in range(3):
        try:
            with db.session.begin_nested():
                db.session.add(employer)
            return
        except IntegrityError:
            if not _slug_taken(employer.slug):
                raise  # another constraint, e.g. the contact address: the caller decides
            employer.slug = f"{slugify(employer.name)}-{new_qr_code()[:5].lower()}"
    raise RuntimeError("no free slug after three attempts")


def register(details: Details, contact_email: str) -> Employer:
    """Create an unconfirmed entry and queue the confirmation mail.

    The address of an invited entry does not hand that entry to whoever types it in: the
    sign-up becomes a separate candidate, and the invitation with its personal link stays.
    """
    existing = find_by_contact_email(contact_email)
    if existing is not None and existing.status == Status.INVITED:
        return _register_candidate(existing, details, contact_email)
    if existing is not None:
        notify_duplicate(existing)
        raise DuplicateRegistration()
    return _new_entry(details, contact_email, contact_email_key=casefold_email(contact_email))


def _register_candidate(invited: Employer, details: Details, contact_email: str) -> Employer:
    earlier = open_candidate_for(invited)
    if earlier is not None:
        notify_duplicate(earlier)
        raise DuplicateRegistration()
    candidate = _new_entry(details, contact_email, invited_entry_id=invited.id)
    audit.record(audit.EMPLOYER, "candidate_for_invitation", candidate.id,
                 invited_entry=invited.id)
    return candidate


def open_candidate_for(invited: Employer) -> Employer | None:
    """The sign-up still waiting to be merged into this invited entry, if any."""
    return db.session.scalar(
        db.select(Employer).join(EmployerPrivate)
        .where(EmployerPrivate.invited_entry_id == invited.id,
               Employer.status.in_([Status.UNCONFIRMED, Status.PENDING]))
        .order_by(Employer.id).limit(1)
    )


def _new_entry(details: Details, contact_email: str, **private) -> Employer:
    employer = Employer(status=Status.UNCONFIRMED, slug=unique_slug(details.public["name"]),
                        **details.public)
    employer.private = EmployerPrivate(contact_email=contact_email, consent_requested_at=utcnow(),
                                       **private, **details.private)
    insert_employer(employer)
    audit.record(audit.EMPLOYER, "registered", employer.id)
    enqueue_capped(contact_email, "confirm", employer=employer,
                   confirm_url=links.confirm_url(employer),
                   manage_url=links.manage_url(employer, long_lived=True))
    return employer


def notify_duplicate(employer: Employer) -> None:
    """Tell the registered contact, not the requester, that an entry exists."""
    private = employer.private
    if employer.status == Status.UNCONFIRMED:
        enqueue_capped(private.contact_email, "confirm", employer=employer, repeated=True,
                       confirm_url=links.confirm_url(employer),
                       manage_url=links.manage_url(employer, long_lived=True))
    else:
        enqueue_capped(private.contact_email, "already_registered", employer=employer,
                       manage_url=links.manage_url(employer, long_lived=True))


def confirm(employer: Employer) -> bool:
    """Record consent and queue for review. False if it was confirmed before."""
    if employer.status != Status.UNCONFIRMED:
        return False
    employer.status = Status.PENDING
    employer.private.consent_confirmed_at = utcnow()
    employer.private.privacy_version = current_app.config["CITY"]["privacy_notice_version"]
    audit.record(audit.EMPLOYER, "confirmed", employer.id,
                 privacy_version=employer.private.privacy_version)
    return True


def send_manage_link(address: str) -> None:
    """Mail a fresh link to the entry of this address, if there is one; say nothing either way."""
    employer = find_by_contact_email(address)
    if employer is None or employer.status == Status.WITHDRAWN:
        return
    if employer.status == Status.UNCONFIRMED:
        notify_duplicate(employer)
        return
    enqueue_capped(employer.private.contact_email, "manage_link", employer=employer,
                   manage_url=links.manage_url(employer))
    audit.record(audit.EMPLOYER, "link_requested", employer.id)


def consume_manage_link(employer: Employer) -> str:
    """Make every outstanding link unusable; return the nonce for this session."""
    employer.private.login_nonce = new_nonce()
    return employer.private.login_nonce


def check_version(employer: Employer, seen: int | None, required: bool = False) -> None:
    """Refuse to act on an entry that changed since the form was shown (optimistic lock).
    `required`: a form without the version counts as outdated (staff forms always carry it)."""
    if seen is None and not required:
        return
    if seen != employer.version:
        raise Conflict()


def touch(employer: Employer) -> None:
    """Bump the entry's version even when only private data changes, so that a concurrent
    writer of the same entry loses the race instead of silently overwriting."""
    employer.updated_at = utcnow()


def set_pending_changes(employer: Employer, changes: dict[str, Any]) -> None:
    """Pending changes live in the private row, but they are part of what a reviewer approves:
    changing them bumps the entry's version, so an approval of what was shown before fails."""
    if changes != (employer.private.pending_changes or {}):
        employer.private.pending_changes = changes
        touch(employer)


def decided_by_staff(employer: Employer) -> bool:
    """Rejected, or paused by staff: a state only staff can lift."""
    return employer.status == Status.REJECTED or (
        employer.status == Status.PAUSED and employer.paused_by == PausedBy.STAFF)


def update_details(employer: Employer, details: Details, actor: str = audit.EMPLOYER,
                   seen: int | None = None) -> str:
    """Apply an employer's edit. Returns "applied" or "queued" (published entries need review).
    A rejected entry stays as the city decided; a paused one can be corrected for review."""
    if employer.status == Status.REJECTED:
        raise DecidedByStaff()
    check_version(employer, seen)
    touch(employer)
    changed_public = {k: v for k, v in details.public.items() if getattr(employer, k) != v}
    for key, value in details.private.items():
        setattr(employer.private, key, value)
    if employer.status in (Status.PUBLISHED, Status.PAUSED):
        # The form holds every public field: what differs from the published entry is the
        # whole proposal (a field changed back to its published value is no longer proposed).
        set_pending_changes(employer, changed_public)
        if changed_public:
            audit.record(actor, "changes_submitted", employer.id, fields=sorted(changed_public))
            return "queued"
    for key, value in changed_public.items():
        setattr(employer, key, value)
    audit.record(actor, "edited", employer.id, fields=sorted(changed_public))
    return "applied"


def apply_pending_changes(employer: Employer, actor: str) -> list[str]:
    """Publish the changes an employer submitted (called by staff review)."""
    changes = dict(employer.private.pending_changes or {})
    for key, value in changes.items():
        if key in PUBLIC_FIELDS:
            setattr(employer, key, value)
    set_pending_changes(employer, {})
    if changes:
        audit.record(actor, "changes_applied", employer.id, fields=sorted(changes))
        if employer.is_public:
            audit.public_data_changed(employer.id)
    return sorted(changes)


def set_status(employer: Employer, status: Status, actor: str, **details) -> None:
    was_public = employer.is_public
    previous = employer.status
    employer.status = status
    if status != Status.PAUSED:
        employer.paused_by = ""
    if status == Status.PUBLISHED and employer.published_at is None:
        employer.published_at = utcnow()
    audit.record(actor, f"status:{status}", employer.id, previous=previous, **details)
    if was_public or employer.is_public:
        audit.public_data_changed(employer.id)


def pause(employer: Employer, actor: str = audit.EMPLOYER, by: PausedBy = PausedBy.EMPLOYER
          ) -> bool:
    """Take a published entry off the map. Staff can also take over an employer's or the
    system's pause, so that only staff can lift it."""
    if employer.status == Status.PAUSED and by == PausedBy.STAFF and (
            employer.paused_by != PausedBy.STAFF):
        audit.record(actor, "pause_taken_over", employer.id, previous=employer.paused_by)
        employer.paused_by = by
        return True
    if employer.status != Status.PUBLISHED:
        return False
    set_status(employer, Status.PAUSED, actor, by=str(by))
    employer.paused_by = by
    return True


def may_resume(employer: Employer, by: PausedBy) -> bool:
    return employer.status == Status.PAUSED and (
        by == PausedBy.STAFF or employer.paused_by != PausedBy.STAFF)


def resume(employer: Employer, actor: str = audit.EMPLOYER, by: PausedBy = PausedBy.EMPLOYER
           ) -> bool:
    """Show a paused entry again; a pause set by staff is lifted only by staff."""
    if not may_resume(employer, by):
        return False
    set_status(employer, Status.PUBLISHED, actor)
    return True


def withdraw(employer: Employer, actor: str = audit.EMPLOYER) -> None:
    """Take the entry off every public output and delete the personal data."""
    set_status(employer, Status.WITHDRAWN, actor)
    if employer.private is not None:
        mail.erase_sent_to(employer.private.contact_email)
    for key, value in SCRUBBED_ON_WITHDRAWAL.items():
        setattr(employer, key, value)
    employer.private = None  # delete-orphan removes the row
    db.session.flush()
