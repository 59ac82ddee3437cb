"""One SMTP transaction per mail, bounded in time, and what its outcome means for a retry."""

from __future__ import annotations

import re
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from campaign.models import OutboxMail

SENT, TEMPORARY, PERMANENT, UNKNOWN = "sent", "temporary", "permanent", "unknown"


class Outcome(NamedTuple):
    kind: str
    code: int | None = None
    reason: str = ""
    connection_lost: bool = False  # the server is gone or slow: stop this run


class _Bounded:
    """An SMTP client that knows when it reached DATA and cuts every command to a deadline."""

    deadline: float = float("inf")
    step_timeout: float = 10.0
    in_data = False

    def putcmd(self, cmd, args=""):
        if self.sock is None:
            raise smtplib.SMTPServerDisconnected("not connected")
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("time for this mail used up")
        self.sock.settimeout(min(self.step_timeout, remaining))
        super().putcmd(cmd, args)

    def data(self, msg):
        self.in_data = True  # from here on the server may have the mail, answer or not
        return super().data(msg)


class BoundedSMTP(_Bounded, smtplib.SMTP):
    pass


class BoundedSMTPSSL(_Bounded, smtplib.SMTP_SSL):
    pass


def connect(url: str, step_timeout: float, deadline: float) -> smtplib.SMTP:
    parts = urlsplit(url)
    timeout = max(0.1, min(step_timeout, deadline - time.monotonic()))
    if parts.scheme == "smtps":
        smtp = BoundedSMTPSSL(parts.hostname, parts.port or 465, timeout=timeout)
    else:
        smtp = BoundedSMTP(parts.hostname, parts.port or 25, timeout=timeout)
    smtp.step_timeout, smtp.deadline = step_timeout, deadline
    if parts.scheme == "smtp+starttls":
        smtp.starttls()
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (mail.headers or {}).items():  # e.g. List-Unsubscribe of alert mails
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    return message


def send(smtp: smtplib.SMTP, mail: OutboxMail, sender: str, deadline: float) -> Outcome:
    """Send one mail on an open connection; never raises for what the server or network does."""
    smtp.deadline, smtp.in_data = deadline, False
    try:
        smtp.send_message(build_message(mail, sender))
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        return classify(exc, smtp.in_data, mail.recipient)
    return Outcome(SENT)


def classify(exc: Exception, in_data: bool, recipient: str = "") -> Outcome:
    """Temporary (4xx, network) is retried, permanent (5xx, unsendable) is not; a network
    failure after the message went out leaves the outcome unknown."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (None, b""))
        return _by_code(code, text, recipient)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return Outcome(PERMANENT, None, _clip(f"Vom Mailserver nicht unterstützt: {exc}"))
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return _by_code(exc.smtp_code, exc.smtp_error, recipient)
    if isinstance(exc, smtplib.SMTPResponseException):  # greeting, login: the connection's fault
        return _by_code(exc.smtp_code, exc.smtp_error, recipient)._replace(
            kind=TEMPORARY, connection_lost=True)
    if isinstance(exc, ValueError):
        return Outcome(PERMANENT, None, _clip(f"Nicht sendbar: {type(exc).__name__}"))
    kind = UNKNOWN if in_data else TEMPORARY
    return Outcome(kind, None, _clip(f"{type(exc).__name__}: {exc}"), connection_lost=True)


def _by_code(code, text, recipient: str) -> Outcome:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    reason = f"{code} {text}"
    if recipient:  # staff who may not see addresses read the reason too
        reason = re.sub(f"<?{re.escape(recipient)}>?", "<Empfänger>", reason,
                        flags=re.IGNORECASE)
    reason = _clip(reason)
    kind = PERMANENT if code and 500 <= code < 600 else TEMPORARY
    return Outcome(kind, code, reason)


def _clip(text: str) -> str:
    return " ".join(text.split())[:200]
