"""Database models. Public employer data and private contact data live in separate tables."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign.core.text import casefold_email
from campaign.extensions import db

# Unambiguous when typed: no 0/O, 1/I/L.
QR_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QR_CODE_LENGTH = 7


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_qr_code() -> str:
    return "".join(secrets.choice(QR_ALPHABET) for _ in range(QR_CODE_LENGTH))


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class Status(enum.StrEnum):
    INVITED = "invited"
    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    PUBLISHED = "published"
    PAUSED = "paused"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class StickerStatus(enum.StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    PRINTED = "printed"
    HANDED_OVER = "handed_over"
    ON_DOOR = "on_door"


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class Employer(db.Model):
    """The public face of an entry. Every column here may appear in public output once published."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    qr_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_qr_code)
    status: Mapped[str] = mapped_column(String(16), default=Status.UNCONFIRMED, index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Latin-script name for the sticker when the name's script cannot be printed.
    sticker_name: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    district: Mapped[str] = mapped_column(String(80), default="", index=True)
    quarter: Mapped[str] = mapped_column(String(80), default="", index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    occupations: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    drop_in: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ask_for: Mapped[str] = mapped_column(String(200), default="")
    step_free: Mapped[bool] = mapped_column(default=False)
    website: Mapped[str] = mapped_column(String(300), default="")
    public_phone: Mapped[str] = mapped_column(String(40), default="")
    public_email: Mapped[str] = mapped_column(String(254), default="")
    is_subsidiary: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    # Optimistic lock: two staff acting at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    private: Mapped[EmployerPrivate | None] = relationship(
        back_populates="employer", uselist=False, cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    def __repr__(self) -> str:
        return f"<Employer {self.id} {self.status}>"


class EmployerPrivate(db.Model):
    """Staff-only data of an entry: never rendered in any public output."""

    __tablename__ = "employer_private"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(
        ForeignKey("employer.id", ondelete="CASCADE"), unique=True
    )
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Case-folded e-mail: one entry per contact address (double clicks, repeats).
    contact_email_key: Mapped[str | None] = mapped_column(String(254), unique=True)
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    # Changes the employer made to a published entry, waiting for review.
    pending_changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Rotated to invalidate every outstanding self-service link at once.
    login_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    consent_requested_at: Mapped[datetime | None]
    consent_confirmed_at: Mapped[datetime | None]
    privacy_version: Mapped[str] = mapped_column(String(20), default="")
    sticker_status: Mapped[str] = mapped_column(String(16), default=StickerStatus.NONE)
    sticker_updated_at: Mapped[datetime | None]
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id", ondelete="SET NULL"))
    invitation_opened_at: Mapped[datetime | None]
    # An anonymous sign-up with the address of an invited entry: it leaves the invitation alone
    # (and holds no contact_email_key) until staff merge the two.
    invited_entry_id: Mapped[int | None]
    review_message: Mapped[str] = mapped_column(Text, default="")

    employer: Mapped[Employer] = relationship(back_populates="private")
    wave: Mapped[Wave | None] = relationship(back_populates="members")


class Wave(db.Model):
    """A named group of invited companies, e.g. the city subsidiaries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[EmployerPrivate]] = relationship(back_populates="wave")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.VIEWER)
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login identity: rotating it ends every session of this account.
    session_token: Mapped[str] = mapped_column(String(32), default=new_nonce)
    # When the holder was last told about failed sign-ins (at most one mail per window).
    login_alert_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Second factor (TOTP, RFC 6238); the last accepted time step stops a code being replayed.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active


class AuditEntry(db.Model):
    """Who did what, when. Holds ids and field names, never personal data."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40), index=True)
    employer_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def _recipient_key(context) -> str:
    return casefold_email(context.get_current_parameters()["recipient"])


class OutboxMail(db.Model):
    __tablename__ = "outbox_mail"
    __table_args__ = (
        Index("ix_outbox_mail_recipient_key_created_at", "recipient_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    # The recipient as one spelling per mailbox: what the per-address mail cap counts.
    recipient_key: Mapped[str | None] = mapped_column(String(254), default=_recipient_key)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Set while one process sends it, so two workers never send the same mail.
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(200), default="")


class ScanCount(db.Model):
    """QR scans per employer per day: a counter, nothing about the person scanning."""

    __tablename__ = "scan_count"
    __table_args__ = (UniqueConstraint("employer_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)


class ProblemReport(db.Model):
    """A public "something is wrong with this entry" report for staff."""

    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class PublicDataVersion(db.Model):
    """One row whose counter goes up whenever anything public changes: a cheap cache key."""

    __tablename__ = "public_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginFailure(db.Model):
    """One failed staff sign-in (password or code): throttles the client, not the account.

    The client is kept as a keyed hash of its address, so the table holds no IP address.
    """

    __tablename__ = "login_failure"
    __table_args__ = (Index("ix_login_failure_client_at", "client", "at"),
                      Index("ix_login_failure_staff_id_at", "staff_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    client: Mapped[str] = mapped_column(String(64))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))


class UsedFormToken(db.Model):
    """The nonce of a public form's timer token once it was sent: each rendered form counts once."""

    __tablename__ = "used_form_token"

    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
