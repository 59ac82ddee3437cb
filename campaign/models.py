"""Database models. Public employer data and private contact data live in separate tables."""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
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


class OutboxMail(db.Model):
    """A mail queued in the transaction of the change that causes it, delivered afterwards.

    A mail is due while it is neither sent nor failed and next_attempt_at has passed. A sender
    claims one mail at a time by moving next_attempt_at a short lease ahead, so a sender that
    dies frees its mail by itself. failed_at marks a mail nobody retries any more: refused for
    good (5xx) or given up; staff see those and may send them again.
    """

    __tablename__ = "outbox_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    # Fixed when queued and sent on every attempt, so a repeated delivery is recognisable.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    failed_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # Attempts that ended without the server's answer to the message itself: maybe delivered.
    unknown_outcomes: Mapped[int] = mapped_column(default=0)
    claimed_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    smtp_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(String(200), default="")


class BatchLock(db.Model):
    """The batch command running now, on SQLite (PostgreSQL uses advisory locks instead)."""

    __tablename__ = "batch_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


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
