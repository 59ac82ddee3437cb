"""Database models. Public employer data and private contact data live in separate tables."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
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


class LocationSource(enum.StrEnum):
    """How the entry's point on the map was found; only EXACT is shown as the door itself."""

    NONE = ""  # no point: the entry is in the list only
    EXACT = "exact"  # set by the employer or staff on the map or as coordinates
    GEOCODED = "geocoded"  # the address looked up by the city's geocoder
    APPROXIMATE = "approximate"  # the centre of the quarter or postal-code area


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class StickerStatus(enum.StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    PRINTED = "printed"
    HANDED_OVER = "handed_over"
    ON_DOOR = "on_door"


class PausedBy(enum.StrEnum):
    """Who paused an entry decides who may show it again: a staff pause binds the employer."""

    EMPLOYER = "employer"
    STAFF = "staff"
    SYSTEM = "system"


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


def stored_as_text(choices: type[enum.StrEnum]) -> Enum:
    """A Python enum on a VARCHAR(16) column: no native database type, so no migration for it."""
    return Enum(choices, native_enum=False, length=16, create_constraint=False,
                values_callable=lambda members: [m.value for m in members])


class Employer(db.Model):
    """The public face of an entry and its state; ENTRY_FIELDS below says which columns are
    public (only those with open_data=True ever leave in public output)."""

    # The dashboard counts published entries per district, quarter and sector, and the
    # automatically paused ones, from these alone; the single-column ones serve the sorts.
    __table_args__ = (
        Index("ix_employer_status_district", "status", "district"),
        Index("ix_employer_status_quarter", "status", "quarter"),
        Index("ix_employer_status_sector", "status", "sector"),
        Index("ix_employer_status_paused_by", "status", "paused_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    qr_code: Mapped[str] = mapped_column(String(16), unique=True, default=new_qr_code)
    status: Mapped[Status] = mapped_column(stored_as_text(Status), default=Status.UNCONFIRMED,
                                          index=True)
    # A PausedBy value while the status is "paused", otherwise empty.
    paused_by: Mapped[str] = mapped_column(String(16), default="", server_default="")
    name: Mapped[str] = mapped_column(String(200), index=True)
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
    location_source: Mapped[str] = mapped_column(String(16), default=LocationSource.NONE)
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    # Optimistic lock: two staff acting at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    private: Mapped[EmployerPrivate | None] = relationship(
        back_populates="employer", uselist=False, cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_on_map(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def location_kind(self) -> str:
        """How exact the point is; "" without a point. A point with no source was typed in."""
        if not self.is_on_map:
            return LocationSource.NONE
        return self.location_source or LocationSource.EXACT

    @property
    def location_is_approximate(self) -> bool:
        """The point is near the door, not at it: shown as "ungefähre Lage"."""
        return self.location_kind == LocationSource.APPROXIMATE

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
    sticker_status: Mapped[StickerStatus] = mapped_column(stored_as_text(StickerStatus),
                                                          default=StickerStatus.NONE, index=True)
    sticker_updated_at: Mapped[datetime | None]
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("wave.id", ondelete="SET NULL"),
                                                index=True)
    invitation_opened_at: Mapped[datetime | None]
    # Freshness (entries/reconfirm.py): the last "still true", and how far the unanswered
    # round has gone since it was asked (0 not asked, 1 asked, 2 reminded, 3 paused).
    details_confirmed_at: Mapped[datetime | None]
    reconfirm_stage: Mapped[int] = mapped_column(default=0, server_default="0", index=True)
    reconfirm_asked_at: Mapped[datetime | None]
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
    # Unanswered invitations are deleted a set time after this day (see entries/retention.py).
    ends_on: Mapped[date | None]

    members: Mapped[list[EmployerPrivate]] = relationship(back_populates="wave")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(stored_as_text(Role), default=Role.VIEWER)
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
    # Sign-ups per week on the dashboard: the action and the time, from the index alone.
    __table_args__ = (Index("ix_audit_entry_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(60), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    employer_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def _recipient_key(context) -> str:
    return casefold_email(context.get_current_parameters()["recipient"])


class OutboxMail(db.Model):
    """A mail queued in the transaction of the change that causes it, delivered afterwards.

    A mail is due while it is neither sent nor failed and next_attempt_at has passed. A sender
    claims one mail at a time by moving next_attempt_at a short lease ahead, so a sender that
    dies frees its mail by itself. failed_at marks a mail nobody retries any more: refused for
    good (5xx) or given up; staff see those and may send them again.
    """

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
    # Extra mail headers, e.g. List-Unsubscribe for alert digests.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)


class AlertSubscription(db.Model):
    """An e-mail alert for a /karte filter; no account. The address exists only for this."""

    __tablename__ = "alert_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    # The filter as query parameters ([name, value] pairs), as search.Filters.to_args gives.
    filter_args: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # Entries published after this are new for the next digest; set on confirm and on sending.
    checked_until: Mapped[datetime | None]
    last_digest_at: Mapped[datetime | None]


class BatchLock(db.Model):
    """The batch command running now, on SQLite (PostgreSQL uses advisory locks instead)."""

    __tablename__ = "batch_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]


class ScanCount(db.Model):
    """QR scans per employer per day: a counter, nothing about the person scanning."""

    __tablename__ = "scan_count"
    # The dashboard adds up the scans per day from the second index alone.
    __table_args__ = (UniqueConstraint("employer_id", "day"),
                      Index("ix_scan_count_day_count", "day", "count"))

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"))
    day: Mapped[date]
    count: Mapped[int] = mapped_column(default=0)


class ProblemReport(db.Model):
    """A public "something is wrong with this entry" report for staff."""

    __tablename__ = "problem_report"
    # The open reports, newest first: the staff inbox and the dashboard's count.
    __table_args__ = (Index("ix_problem_report_resolved_at_created_at", "resolved_at",
                            "created_at"),)

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


class PublicDataChange(db.Model):
    """Which entry a public data version changed (employer_id None: possibly all of them), so
    each worker patches its snapshot instead of reading every published entry again."""

    __tablename__ = "public_data_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(index=True)
    employer_id: Mapped[int | None]


# ---------------------------------------------------------------------------------------------
# The fields of an entry: the one list from which forms, review, snapshot, open data, exports,
# staff pages and retention take theirs (each selects by the flags below, in this order).


class Kind(enum.StrEnum):
    """The shape of a field's value, so that every output formats it the same way."""

    KEY = "key"  # id, slug
    TEXT = "text"  # one line of text
    LINES = "lines"  # text with line breaks
    CHOICE = "choice"  # one value from the city's lists (sector, district, quarter)
    COORDINATE = "coordinate"
    LOCATION = "location"  # how exact the point is (LocationSource)
    OFFERS = "offers"
    LANGUAGES = "languages"
    DROP_IN = "drop_in"
    FLAG = "flag"
    STATUS = "status"
    STICKER = "sticker"
    WAVE = "wave"
    TIMESTAMP = "timestamp"
    CHANGES = "changes"


class Editor(enum.StrEnum):
    """Who may change a field: the employer (public fields via review) or staff only."""

    NOBODY = "nobody"
    STAFF = "staff"
    EMPLOYER = "employer"


@dataclass(frozen=True)
class EntryField:
    name: str
    label: Any  # German label on staff pages (a lazy string)
    kind: Kind = Kind.TEXT
    # On EmployerPrivate: never in public output, shown only to staff who may review.
    private: bool = False
    # In the public snapshot: employer pages, map, search and the open-data files.
    open_data: bool = False
    editor: Editor = Editor.NOBODY
    # Emptied when the employer withdraws: it could identify a person.
    identifying: bool = False
    # A column of the staff CSV export: True for the label as heading, or its own heading.
    export: Any = False
    # In the contact person's own data export (GDPR Art. 15/20).
    personal: bool = False

    @property
    def export_heading(self) -> str:
        return str(self.label if self.export is True else self.export)


ENTRY_FIELDS: tuple[EntryField, ...] = (
    EntryField("id", _l("Nummer"), Kind.KEY, export=_l("ID")),
    EntryField("slug", _l("Adresse der Seite"), Kind.KEY, open_data=True),
    EntryField("name", _l("Name"), open_data=True, editor=Editor.EMPLOYER, identifying=True,
               export=True),
    EntryField("status", _l("Status"), Kind.STATUS, export=True),
    EntryField("sticker_name", _l("Name auf dem Aufkleber"), editor=Editor.STAFF,
               identifying=True),
    EntryField("sector", _l("Branche"), Kind.CHOICE, open_data=True, editor=Editor.EMPLOYER,
               export=True),
    EntryField("description", _l("Kurzbeschreibung"), Kind.LINES, open_data=True,
               editor=Editor.EMPLOYER, identifying=True),
    EntryField("street", _l("Straße und Hausnummer"), open_data=True, editor=Editor.EMPLOYER,
               identifying=True, export=_l("Straße")),
    EntryField("postal_code", _l("Postleitzahl"), open_data=True, editor=Editor.EMPLOYER,
               export=_l("PLZ")),
    EntryField("city", _l("Ort"), open_data=True, editor=Editor.EMPLOYER, export=True),
    EntryField("district", _l("Stadtbezirk"), Kind.CHOICE, open_data=True,
               editor=Editor.EMPLOYER, export=True),
    EntryField("quarter", _l("Stadtteil"), Kind.CHOICE, open_data=True, editor=Editor.EMPLOYER,
               export=True),
    EntryField("lat", _l("Breitengrad"), Kind.COORDINATE, open_data=True,
               editor=Editor.EMPLOYER, export=True),
    EntryField("lon", _l("Längengrad"), Kind.COORDINATE, open_data=True,
               editor=Editor.EMPLOYER, export=True),
    EntryField("offers", _l("Angebote"), Kind.OFFERS, open_data=True, editor=Editor.EMPLOYER,
               export=True),
    EntryField("occupations", _l("Berufe"), Kind.LINES, open_data=True, editor=Editor.EMPLOYER,
               identifying=True, export=True),
    EntryField("languages", _l("Sprachen"), Kind.LANGUAGES, open_data=True,
               editor=Editor.EMPLOYER, export=True),
    EntryField("drop_in", _l("Ohne Termin"), Kind.DROP_IN, open_data=True,
               editor=Editor.EMPLOYER, export=True),
    EntryField("ask_for", _l("Fragen nach"), open_data=True, editor=Editor.EMPLOYER,
               identifying=True, export=True),
    EntryField("step_free", _l("Stufenlos"), Kind.FLAG, open_data=True, editor=Editor.EMPLOYER,
               export=True),
    EntryField("website", _l("Internetseite"), open_data=True, editor=Editor.EMPLOYER,
               identifying=True, export=True),
    EntryField("public_phone", _l("Telefon für Jugendliche"), open_data=True,
               editor=Editor.EMPLOYER, identifying=True, export=_l("Telefon öffentlich")),
    EntryField("public_email", _l("E-Mail für Jugendliche"), open_data=True,
               editor=Editor.EMPLOYER, identifying=True, export=_l("E-Mail öffentlich")),
    EntryField("is_subsidiary", _l("Tochtergesellschaft"), Kind.FLAG, open_data=True,
               editor=Editor.STAFF, export=True),
    # Last of the open-data columns, so that files read by position keep working.
    EntryField("location_source", _l("Genauigkeit der Lage"), Kind.LOCATION, open_data=True,
               editor=Editor.EMPLOYER),
    EntryField("published_at", _l("Freigegeben am"), Kind.TIMESTAMP, export=True),
    # EmployerPrivate
    EntryField("contact_name", _l("Ansprechperson"), private=True, editor=Editor.EMPLOYER,
               export=True, personal=True),
    EntryField("contact_email", _l("E-Mail der Ansprechperson"), private=True,
               editor=Editor.STAFF, export=_l("E-Mail Ansprechperson"), personal=True),
    EntryField("contact_phone", _l("Telefon der Ansprechperson"), private=True,
               editor=Editor.EMPLOYER, export=_l("Telefon Ansprechperson"), personal=True),
    EntryField("sticker_status", _l("Aufkleber"), Kind.STICKER, private=True, export=True),
    EntryField("wave", _l("Welle"), Kind.WAVE, private=True, export=True),
    EntryField("consent_requested_at", _l("Einwilligung erbeten am"), Kind.TIMESTAMP,
               private=True, personal=True),
    EntryField("consent_confirmed_at", _l("Einwilligung bestätigt am"), Kind.TIMESTAMP,
               private=True, export=_l("Einwilligung am"), personal=True),
    EntryField("privacy_version", _l("Datenschutzhinweis"), private=True, personal=True),
    EntryField("internal_notes", _l("Interne Notiz"), Kind.LINES, private=True, export=True),
    EntryField("pending_changes", _l("Eingereichte Änderungen"), Kind.CHANGES, private=True,
               personal=True),
    EntryField("review_message", _l("Letzte Nachricht an den Betrieb"), Kind.LINES,
               private=True),
)
TEXT_KINDS = (Kind.TEXT, Kind.LINES, Kind.CHOICE)


def entry_fields(**wanted) -> tuple[EntryField, ...]:
    """The fields whose attributes have the wanted values, in the registry's order."""
    return tuple(f for f in ENTRY_FIELDS if all(getattr(f, k) == v for k, v in wanted.items()))


def field_names(**wanted) -> tuple[str, ...]:
    return tuple(f.name for f in entry_fields(**wanted))


class HealthProbe(db.Model):
    """One row that /healthz rewrites: proof that the database can still write (disk space)."""

    __tablename__ = "health_probe"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(db.Model):
    """A unit of background work (e.g. a wave import) with its progress.

    A runner claims a job by setting lease_owner and lease_until in one conditional UPDATE;
    it renews the lease with every step, so a job whose runner died is taken over after the
    lease runs out and never runs in two places at once.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED, index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[str] = mapped_column(String(40), default="")
    lease_until: Mapped[datetime | None]

    items: Mapped[list[JobItem]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="JobItem.position")


class JobItem(db.Model):
    """The outcome of one step of a job (one CSV row). Unique per position: written in the
    same transaction as the step's work, so a step can never be done twice."""

    __tablename__ = "job_item"
    __table_args__ = (UniqueConstraint("job_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    position: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(String(300), default="")
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("employer.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    job: Mapped[Job] = relationship(back_populates="items")


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


class ConsultationPoint(db.Model):
    """A place where counselling comes to a quarter ("Beratung vor Ort"), with its recurring
    schedule as data (see campaign.consultations.schedule). Every column is public except
    `published`, `is_demo` and the timestamps."""

    __tablename__ = "consultation_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    provider: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(5), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    district: Mapped[str] = mapped_column(String(80), default="")
    quarter: Mapped[str] = mapped_column(String(80), default="", index=True)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(Text, default="")
    no_appointment: Mapped[bool] = mapped_column(default=False)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    published: Mapped[bool] = mapped_column(default=False, index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ConsultationPoint {self.id} {self.slug}>"
