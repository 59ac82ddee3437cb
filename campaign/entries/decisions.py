"""Staff decisions on entries: approve, ask, reject, edit, stickers, delete. Add and flush only."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from campaign.core import audit, links
from campaign.core.mail import enqueue
from campaign.core.text import casefold_email
from campaign.entries import lifecycle as entry_ops
from campaign.entries.lifecycle import touch
from campaign.extensions import db
from campaign.models import Employer, PausedBy, Status, StickerStatus, utcnow


class NotPossible(Exception):
    """The action does not fit the entry's state; the message is for staff."""


def needs_review(employer: Employer) -> bool:
    changes = employer.private.pending_changes if employer.private else None
    return employer.status == Status.PENDING or (
        employer.status in (Status.PUBLISHED, Status.PAUSED) and bool(changes))


def _require_review(employer: Employer) -> None:
    if not needs_review(employer):
        raise NotPossible(_l("Dieser Eintrag wartet nicht auf eine Prüfung"))


def _mail(employer: Employer, template: str, **context) -> None:
    enqueue(employer.private.contact_email, template, employer=employer,
            manage_url=links.manage_url(employer, long_lived=True), **context)


def awaits_merge(employer: Employer) -> bool:
    """A sign-up made with an invited company's address, while that invitation still exists."""
    private = employer.private
    return bool(private and private.invited_entry_id is not None
                and db.session.get(Employer, private.invited_entry_id) is not None)


def approve(employer: Employer, actor: str) -> None:
    """Publish the entry (or the employer's changes) and tell the employer."""
    _require_review(employer)
    if awaits_merge(employer):
        raise NotPossible(_l("Für diese Adresse gibt es eine Einladung. Führen Sie die Anmeldung "
                             "mit der Einladung zusammen oder lehnen Sie sie ab"))
    changes_only = employer.status != Status.PENDING
    entry_ops.apply_pending_changes(employer, actor)
    if employer.status == Status.PENDING:
        entry_ops.set_status(employer, Status.PUBLISHED, actor)
    employer.private.review_message = ""
    touch(employer)
    _mail(employer, "approved", changes_only=changes_only,
          employer_url=links.employer_url(employer), on_map=employer.is_on_map,
          approximate=employer.location_is_approximate)


def ask_question(employer: Employer, question: str, actor: str) -> None:
    """Send the entry back with a question; it stays in the queue, marked as waiting."""
    _require_review(employer)
    employer.private.review_message = question
    touch(employer)
    audit.record(actor, "question_sent", employer.id)
    _mail(employer, "question", question=question)


def reject(employer: Employer, reason: str, actor: str) -> None:
    """Reject a new entry, or only the changes to a published one; tell the employer why."""
    _require_review(employer)
    changes_only = employer.status != Status.PENDING
    if changes_only:
        fields = sorted(employer.private.pending_changes)
        entry_ops.set_pending_changes(employer, {})
        audit.record(actor, "changes_rejected", employer.id, fields=fields)
    else:
        entry_ops.set_status(employer, Status.REJECTED, actor)
    employer.private.review_message = reason
    touch(employer)
    _mail(employer, "rejected", reason=reason, changes_only=changes_only)


DECISIONS = {
    "approve": lambda employer, message, actor: approve(employer, actor),
    "question": ask_question,
    "reject": reject,
}


def decide(employer: Employer, decision: str, message: str, seen: int | None, actor: str) -> None:
    entry_ops.check_version(employer, seen, required=True)
    DECISIONS[decision](employer, message, actor)
    db.session.flush()


def bulk_approve(employers: list[Employer], seen: dict[int, int], actor: str) -> int:
    """Approve every selected entry that waits for review; return how many.
    `seen` maps each id to the version the list showed: if one differs, nothing is approved.
    Sign-ups that belong to an invitation wait for staff to merge them."""
    waiting = [employer for employer in employers
               if needs_review(employer) and not awaits_merge(employer)]
    for employer in waiting:
        entry_ops.check_version(employer, seen.get(employer.id), required=True)
    for employer in waiting:
        approve(employer, actor)
    db.session.flush()
    return len(waiting)


def set_sticker_status(employers: list[Employer], status: StickerStatus, actor: str) -> int:
    changed = [e for e in employers if e.private and e.private.sticker_status != status]
    for employer in changed:
        employer.private.sticker_status = status
        employer.private.sticker_updated_at = utcnow()
        audit.record(actor, "sticker_status", employer.id, status=str(status))
    return len(changed)


def save_notes(employer: Employer, notes: str, actor: str) -> None:
    employer.private.internal_notes = notes
    audit.record(actor, "notes_edited", employer.id)


def staff_edit(employer: Employer, details: entry_ops.Details, extras: dict[str, Any],
               seen: int | None, actor: str) -> list[str]:
    """Apply a staff edit directly (also to published entries); return the changed fields."""
    entry_ops.check_version(employer, seen, required=True)
    _change_contact_email(employer, extras.pop("contact_email"))
    values = {**details.public, **extras}
    changed = sorted(k for k, v in values.items() if getattr(employer, k) != v)
    for key in changed:
        setattr(employer, key, values[key])
    for key, value in details.private.items():
        setattr(employer.private, key, value)
    touch(employer)
    audit.record(actor, "edited", employer.id, fields=changed)
    if employer.is_public and changed:
        audit.public_data_changed(employer.id)
    db.session.flush()
    return changed


def _change_contact_email(employer: Employer, address: str) -> None:
    key = casefold_email(address)
    if key == employer.private.contact_email_key:
        employer.private.contact_email = address
        return
    other = entry_ops.find_by_contact_email(address)
    if other is not None:
        raise NotPossible(_l("Für diese E-Mail-Adresse gibt es schon einen anderen Eintrag"))
    employer.private.contact_email, employer.private.contact_email_key = address, key
    entry_ops.consume_manage_link(employer)  # links mailed to the old address stop working


def pause(employer: Employer, actor: str) -> None:
    if not entry_ops.pause(employer, actor, by=PausedBy.STAFF):
        raise NotPossible(_l("Nur ein freigegebener Eintrag kann pausiert werden"))


def resume(employer: Employer, actor: str) -> None:
    if not entry_ops.resume(employer, actor, by=PausedBy.STAFF):
        raise NotPossible(_l("Nur ein pausierter Eintrag kann wieder veröffentlicht werden"))


def delete(employer: Employer, actor: str) -> None:
    """Remove the entry and its personal data for good; the audit log keeps the id."""
    audit.record(actor, "deleted", employer.id, previous=employer.status)
    if employer.is_public:
        audit.public_data_changed(employer.id)
    db.session.delete(employer)
    db.session.flush()
