"""Configuration layers: defaults → instance/config.py → CAMPAIGN_* environment → test mapping."""

from __future__ import annotations

import json
import logging
import math
import os
import secrets
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from campaign.core.database import engine_options, normalise_url

log = logging.getLogger(__name__)

DEFAULTS = {
    "PUBLIC_URL": "http://127.0.0.1:5000",
    "DATABASE_URL": None,
    # Seconds: connecting (also waiting for a pooled connection and the ping before use) …
    "DB_CONNECT_TIMEOUT": 3,
    # … one statement including lock waits (on SQLite: waiting for another writer) …
    "DB_STATEMENT_TIMEOUT": 5,
    # … and after a failure, how long public pages answer from memory before trying again.
    "DB_RETRY_SECONDS": 5,
    # When the public data or a file of it must be built anew, how long a visitor may wait for
    # it before being answered from the previous version (the new one follows within seconds).
    "PUBLIC_BUILD_WAIT_SECONDS": 0,
    # How long a worker trusts its public data before asking the database for the version
    # again (0 = on every request): a change shows everywhere within this plus a few ms.
    "PUBLIC_VERSION_CHECK_SECONDS": 0.25,
    "HEALTH_TIMEOUT": 2,
    "SMTP_URL": None,
    "SMTP_TIMEOUT": 10,
    "MAIL_SEND_IN_BACKGROUND": True,
    "MAIL_FROM": "Alle Türen offen <noreply@alle-tueren-offen.invalid>",
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende',
    "CITY_FILE": None,
    "GEOCODER_URL": None,  # Nominatim /search or Photon /api; unset: approximate points only
    "GEOCODER_KIND": "auto",  # "nominatim", "photon", or guessed from the URL
    "GEOCODER_TIMEOUT": 3,
    "GEOCODER_USER_AGENT": None,  # default names the campaign and its public URL
    "JOB_RUN_IN_BACKGROUND": True,  # a thread in the web process starts queued jobs
    "JOB_LEASE_SECONDS": 300,
    # Sticker batches from /admin/aufkleber (campaign/stickers/batches.py): the folder every
    # web worker and job runner reaches (unset: "sticker-batches" in the instance folder) …
    "STICKER_BATCH_DIR": None,
    "STICKER_BATCH_CHUNK": 500,  # … stickers rendered per step …
    "STICKER_BATCH_FILE_MAX": 5000,  # … per downloadable PDF (memory to join them stays small)
    "STICKER_BATCH_KEEP_HOURS": 24,  # … and how long finished files stay
    "PROXY_HOPS": 0,
    "TRUSTED_HOSTS": None,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "SIGNUP_RATE_LIMIT": "30 per hour",
    "LINK_RATE_LIMIT": "10 per hour",
    "LINK_RATE_LIMIT_PER_ADDRESS": "3 per 10 minutes",
    # Mails that public forms may cause to one address (sign-up, link requests); see mail_caps.
    "MAIL_CAP_PER_ADDRESS": "5 per hour; 10 per day",
    "MIN_FILL_SECONDS": 4,
    "CONFIRM_MAX_AGE": 7 * 24 * 3600,
    "MANAGE_LINK_MAX_AGE": 10 * 60,
    "MANAGE_LINK_MAX_AGE_LONG": 14 * 24 * 3600,
    "MANAGE_SESSION_SECONDS": 3600,
    "UNCONFIRMED_RETENTION_DAYS": 7,
    "REJECTED_RETENTION_DAYS": 90,
    "INVITATION_RETENTION_DAYS": 90,
    "RECONFIRM_AFTER_DAYS": 365,
    "RECONFIRM_REMINDER_DAYS": 21,
    "RECONFIRM_PAUSE_DAYS": 42,
    "MAIL_RETENTION_DAYS": 30,
    "REPORT_TEXT_RETENTION_DAYS": 90,
    "ALERT_RETENTION_DAYS": 365,
    "MAX_CONTENT_LENGTH": 512 * 1024,
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    "MAX_FORM_PARTS": 500,
    "WTF_CSRF_TIME_LIMIT": 4 * 3600,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "SQLALCHEMY_RECORD_QUERIES": False,
    # Origins (https://host[:port]) whose pages may frame /einbetten/karte, a JSON list.
    "EMBED_ORIGINS": [],
}
WEAK_KEYS = {"", "dev", "changeme", "secret", "change-me", "development"}
MIN_KEY_DISTINCT = 10
MIN_KEY_BITS = 90  # token_hex(16) shows about 110, token_hex(32) about 250


def uses_https(config) -> bool:
    return config["PUBLIC_URL"].startswith("https://")


def is_production(config) -> bool:
    """A deployment behind https is production: strict cookies and a real secret key."""
    return uses_https(config) and not config.get("TESTING")


def instance_secret_key(instance_path: str) -> str:
    """Read the development key from the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        os.chmod(path, 0o600)
    return path.read_text().strip()


def finalise(app) -> None:
    """Derive settings from the layered values and refuse unsafe production settings."""
    config = app.config
    url = config.get("SQLALCHEMY_DATABASE_URI") or config["DATABASE_URL"]
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "campaign.sqlite")
    config["SQLALCHEMY_DATABASE_URI"] = normalise_url(url)
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(
        url, float(config["DB_CONNECT_TIMEOUT"]), float(config["DB_STATEMENT_TIMEOUT"])))
    config["EMBED_ORIGINS"] = embed_origins(config["EMBED_ORIGINS"])
    host = urlsplit(config["PUBLIC_URL"]).hostname
    if config["TRUSTED_HOSTS"] is None and not config.get("TESTING"):
        local = ["127.0.0.1", "localhost"] if not is_production(config) else []
        config["TRUSTED_HOSTS"] = [host, *local]
    geocoder = config.get("GEOCODER_URL")
    if geocoder and urlsplit(geocoder).scheme not in ("http", "https"):
        raise RuntimeError("CAMPAIGN_GEOCODER_URL must be an http:// or https:// URL, "
                           "e.g. https://nominatim.example.org/search")
    if is_production(config):
        _check_secret_key(config)
        config.update(
            SESSION_COOKIE_NAME="__Host-session",
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
            WTF_CSRF_SSL_STRICT=True,
        )
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret_key(app.instance_path)


def estimated_bits(key: str) -> float:
    """Shannon estimate of the key's entropy: its length times the bits per character it shows."""
    if not key:
        return 0.0
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def _check_secret_key(config) -> None:
    key = config.get("SECRET_KEY") or ""
    if key.lower() in WEAK_KEYS or len(key) < 32:
        raise RuntimeError(
            "CAMPAIGN_SECRET_KEY must be set to a random value of at least 32 characters "
            "in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if len(set(key)) < MIN_KEY_DISTINCT or estimated_bits(key) < MIN_KEY_BITS:
        raise RuntimeError(
            f"CAMPAIGN_SECRET_KEY looks far from random ({len(set(key))} different characters, "
            f"about {estimated_bits(key):.0f} bits; at least {MIN_KEY_DISTINCT} and "
            f"{MIN_KEY_BITS} are needed). Generate one with "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )


def check_worker_setup(config, workers: int) -> None:
    """With memory:// every worker counts on its own, so N workers allow N times each limit:
    refuse that in production, warn loudly elsewhere."""
    storage = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    shared = not storage.startswith("memory://")
    if workers <= 1 or shared or not config.get("RATELIMIT_ENABLED", True):
        return
    message = (f"CAMPAIGN_RATELIMIT_STORAGE_URI is {storage} with {workers} workers: each worker "
               f"would count on its own and every rate limit would be {workers} times as high. "
               "Set CAMPAIGN_RATELIMIT_STORAGE_URI=redis://… (shared) or run one worker.")
    if is_production(config):
        raise RuntimeError(message)
    log.warning(message)


def embed_origins(value) -> list[str]:
    """CAMPAIGN_EMBED_ORIGINS as a list of origins; anything else stops the start-up, since a
    typo would otherwise silently let a page be framed by the wrong site (or by none)."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            value = None
    if not isinstance(value, list):
        raise RuntimeError('CAMPAIGN_EMBED_ORIGINS must be a JSON list, e.g. ["https://www.example.de"].')
    return [_origin(item) for item in value]


def _origin(item) -> str:
    parts = urlsplit(item) if isinstance(item, str) else None
    try:
        valid = (parts is not None and parts.scheme in ("https", "http") and parts.hostname
                 and not (parts.path or parts.query or parts.fragment or parts.username)
                 and (parts.port is None or parts.port > 0) and " " not in item and "*" not in item)
    except ValueError:
        valid = False
    if not valid:
        raise RuntimeError(f"CAMPAIGN_EMBED_ORIGINS: {item!r} is not an origin like https://host[:port].")
    return item.lower()
