"""Batch locks: a batch command (send-mail, reconfirm, import …) never runs twice at once.

PostgreSQL: a session advisory lock on a connection of its own, released when the block ends
or the process dies. SQLite: a row in batch_lock taken in a `BEGIN IMMEDIATE` transaction,
with a short lease that a helper thread renews; a holder that died frees it at once when it ran
on this host (its process is gone), else when the lease ends.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, insert, text, update

from campaign.extensions import db
from campaign.models import BatchLock, utcnow

log = logging.getLogger(__name__)
LEASE = timedelta(seconds=60)


class AlreadyRunning(Exception):
    """Another process holds this batch lock."""


@contextmanager
def batch_lock(name: str) -> Iterator[None]:
    """Hold the lock `name` while the block runs; raise AlreadyRunning at once if it is taken.

    The block commits its own work; what it leaves uncommitted is rolled back at the end, so
    the lock is never released in the middle of a transaction.
    """
    hold = _advisory_lock if db.engine.dialect.name == "postgresql" else _lock_row
    with hold(name):
        try:
            yield
        finally:
            db.session.rollback()


def advisory_key(name: str) -> int:
    digest = hashlib.blake2b(f"campaign-batch:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _advisory_lock(name: str) -> Iterator[None]:
    key = {"key": advisory_key(name)}
    with db.engine.connect() as connection:
        taken = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key)
        connection.commit()
        if not taken:
            raise AlreadyRunning(name)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            connection.commit()


@contextmanager
def _lock_row(name: str) -> Iterator[None]:
    holder = _holder()
    if not _take_row(name, holder):
        raise AlreadyRunning(name)
    renewer = _Renewer(name, holder)
    renewer.start()
    try:
        yield
    finally:
        renewer.finish()
        with db.engine.begin() as connection:
            connection.execute(delete(BatchLock).where(BatchLock.name == name,
                                                       BatchLock.holder == holder))


def _take_row(name: str, holder: str) -> bool:
    now = utcnow()
    with db.engine.begin() as connection:  # BEGIN IMMEDIATE: one taker at a time
        connection.execute(delete(BatchLock).where(BatchLock.name == name,
                                                   BatchLock.expires_at < now))
        current = connection.scalar(db.select(BatchLock.holder).where(BatchLock.name == name))
        if current and not _died_here(current):
            return False
        connection.execute(delete(BatchLock).where(BatchLock.name == name))
        connection.execute(insert(BatchLock).values(name=name, holder=holder,
                                                    expires_at=now + LEASE))
    return True


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _died_here(holder: str) -> bool:
    """Whether the holder ran on this host and its process is gone."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class _Renewer(threading.Thread):
    """Moves the lease ahead while the command runs; a daemon, as it only keeps a clock."""

    def __init__(self, name: str, holder: str):
        super().__init__(name=f"batch-lock-{name}", daemon=True)
        self.lock_name, self.holder = name, holder
        self.engine = db.engine
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(LEASE.total_seconds() / 3):
            try:
                with self.engine.begin() as connection:
                    connection.execute(
                        update(BatchLock)
                        .where(BatchLock.name == self.lock_name, BatchLock.holder == self.holder)
                        .values(expires_at=utcnow() + LEASE))
            except Exception:
                log.warning("Could not renew the batch lock %r", self.lock_name, exc_info=True)

    def finish(self) -> None:
        self.done.set()
        self.join(5)
