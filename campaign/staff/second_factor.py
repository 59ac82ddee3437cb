"""Second factor for staff (TOTP, RFC 6238, via pyotp): set up, check at login, switch off.

Decision: optional for every role and strongly suggested on the dashboard; an account that
has it cannot sign in without it. A lost phone is reset with `flask campaign reset-mfa`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import unicodedata

import pyotp

from campaign.core import audit
from campaign.models import StaffUser, utcnow
from campaign.staff import accounts, throttle

ISSUER = "Alle Türen offen"
PENDING_SECONDS = 300


def setup_secret(staff: StaffUser, key: str) -> str:
    """The secret offered while setting up: derived, so nothing secret sits in the cookie,
    and new whenever the account's sessions are renewed."""
    digest = hmac.new(key.encode(), f"totp-setup:{staff.id}:{staff.session_token}".encode(),
                      hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def provisioning_svg(secret: str, account: str) -> str:
    """The QR code an authenticator app scans, as inline SVG."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)
    import qrcode  # with Pillow 2 MB, needed only while staff set up a second factor
    from qrcode.image.svg import SvgPathImage

    return qrcode.make(uri, image_factory=SvgPathImage, box_size=8).to_string(encoding="unicode")


def grouped(secret: str) -> str:
    """ABCD EFGH …: easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalised_code(code: str) -> str:
    """The code as ASCII digits: full-width digits (NFKC) and spaces as phones show them."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code this is (one step of clock drift allowed), or None."""
    code = normalised_code(code)
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = int((now or time.time()) // totp.interval)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_login_code(staff: StaffUser, code: str, client: str) -> bool:
    """Accept each code once; wrong codes count like wrong passwords (same throttle)."""
    now = utcnow()
    if throttle.is_throttled(staff.id, client, now):
        return False
    step = matching_step(staff.totp_secret, code)
    if step is None or (staff.totp_last_step is not None and step <= staff.totp_last_step):
        accounts.count_failure(staff, client, now)
        return False
    staff.totp_last_step = step
    throttle.record_success(staff, client)
    audit.record(audit.staff_actor(staff.id), "staff_second_factor_ok")
    return True


def enable(staff: StaffUser, secret: str, code: str) -> bool:
    step = matching_step(secret, code)
    if step is None:
        return False
    staff.totp_secret, staff.totp_last_step = secret, step
    audit.record(audit.staff_actor(staff.id), "staff_second_factor_on")
    return True


def disable(staff: StaffUser, actor: str) -> None:
    staff.totp_secret, staff.totp_last_step = None, None
    audit.record(actor, "staff_second_factor_off", staff_id=staff.id)
