"""The background sender of a web worker: one thread per process, woken after each request
that queued mail, and stopped cleanly when the process ends.

The thread is not a daemon, so the interpreter never kills it in the middle of an SMTP
transaction. It notices that the process is ending (the main thread has finished, or
gunicorn's worker_exit hook calls stop()), lets the current mail end, at most one mail
budget (2 × SMTP_TIMEOUT), and returns; mail it did not get to stays queued for the next
worker or `flask campaign send-mail`.
"""

from __future__ import annotations

import atexit
import logging
import threading

from flask import Flask

from campaign.extensions import db
from campaign.outbox import delivery

log = logging.getLogger(__name__)
BATCH = 20
IDLE_CHECK_SECONDS = 0.5


class Sender:
    def __init__(self, app: Flask):
        self.app = app
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def wake(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return  # ending: what is queued now waits for the next sender
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="outbox-sender")
                self._thread.start()
        self._wake.set()

    def stopping(self) -> bool:
        return self._stop.is_set() or not threading.main_thread().is_alive()

    def stop(self, timeout: float | None = None) -> bool:
        """Let the current mail end and the thread return; False if it is still sending."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is None or thread is threading.current_thread():
            return True
        thread.join(timeout)
        if thread.is_alive():
            log.warning("Mail sender still busy at exit; its mail is retried after the lease")
            return False
        return True

    def _run(self) -> None:
        while not self.stopping():
            if self._wake.wait(IDLE_CHECK_SECONDS):
                self._wake.clear()
                if not self.stopping():
                    self._send_once()

    def _send_once(self) -> None:
        with self.app.app_context():
            try:
                delivery.send_due(limit=BATCH, should_stop=self.stopping)
            except Exception:
                db.session.rollback()
                log.exception("Sending queued mail failed")
            finally:
                db.session.remove()


def sender_for(app: Flask) -> Sender:
    sender = app.extensions.get("campaign_mail_sender")
    if sender is None:
        sender = app.extensions.setdefault("campaign_mail_sender", Sender(app))
        atexit.register(sender.stop, delivery.mail_budget(app.config) + 1)
    return sender


def stop_app(app: Flask) -> None:
    """Drain the sender of this app, if it has one (gunicorn worker_exit hook)."""
    sender = getattr(app, "extensions", {}).get("campaign_mail_sender")
    if sender is not None:
        sender.stop(delivery.mail_budget(app.config) + 1)
