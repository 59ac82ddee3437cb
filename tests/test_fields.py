"""The field registry on the models is the one place that says what is public and private."""

from __future__ import annotations

from campaign.admin.display import SUMMARY_FIELDS
from campaign.entries import exports, lifecycle, retention
from campaign.entries.forms import PRIVATE_FIELDS, TEXT_FIELDS
from campaign.models import ENTRY_FIELDS, Employer, EmployerPrivate
from campaign.public.snapshot import PUBLIC_COLUMNS

# Columns that are bookkeeping, not entry data: no output shows them as a field.
INTERNAL = {"qr_code", "paused_by", "is_demo", "created_at", "updated_at", "version",
            "employer_id", "contact_email_key", "login_nonce", "sticker_updated_at", "wave_id",
            "invitation_opened_at", "details_confirmed_at", "reconfirm_stage",
            "reconfirm_asked_at", "invited_entry_id"}


def test_every_column_is_declared_public_or_private_in_the_registry():
    declared = {f.name: f.private for f in ENTRY_FIELDS}
    for model, private in ((Employer, False), (EmployerPrivate, True)):
        for column in model.__table__.columns:
            if column.name in INTERNAL or (private and column.name == "id"):
                continue
            assert declared.get(column.name) is private, column.name
    assert declared["wave"] is True  # a relationship, exported by name


def test_no_private_field_reaches_a_public_list():
    private = {f.name for f in ENTRY_FIELDS if f.private}
    public_lists = (PUBLIC_COLUMNS, lifecycle.PUBLIC_FIELDS, TEXT_FIELDS, SUMMARY_FIELDS,
                    [c.name for c in exports.PUBLIC_COLUMNS], lifecycle.SCRUBBED_ON_WITHDRAWAL)
    for names in public_lists:
        assert not private & set(names), names
    assert set(PRIVATE_FIELDS) | set(retention.PRIVATE_EXPORT_FIELDS) <= private


def test_employer_edits_and_withdrawal_scrub_what_they_did_before():
    assert lifecycle.PUBLIC_FIELDS == (
        "name", "sector", "description", "street", "postal_code", "city", "district", "quarter",
        "lat", "lon", "offers", "occupations", "languages", "drop_in", "ask_for", "step_free",
        "website", "public_phone", "public_email", "location_source")
    assert set(lifecycle.SCRUBBED_ON_WITHDRAWAL) == {
        "name", "sticker_name", "description", "street", "occupations", "ask_for", "website",
        "public_phone", "public_email"}
    assert PRIVATE_FIELDS == ("contact_name", "contact_phone")
    assert retention.PRIVATE_EXPORT_FIELDS == (
        "contact_name", "contact_email", "contact_phone", "consent_requested_at",
        "consent_confirmed_at", "privacy_version", "pending_changes")
