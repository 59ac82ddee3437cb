"""What every batch command shares: one run at a time, and a clean stop on SIGTERM."""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from campaign.core.locks import AlreadyRunning, batch_lock


def exclusive(name: str):
    """Run the command under the batch lock `name`; a second run says so and ends at once."""

    def decorator(command):
        @functools.wraps(command)
        def wrapped(*args, **kwargs):
            try:
                with batch_lock(name):
                    return command(*args, **kwargs)
            except AlreadyRunning:
                click.echo(f"„{name}“ läuft bereits in einem anderen Prozess; dieser Aufruf "
                           "ändert nichts und endet.", err=True)
                return None

        return wrapped

    return decorator


@contextmanager
def stop_on_sigterm() -> Iterator[Callable[[], bool]]:
    """While the block runs, SIGTERM asks it to stop after the current item; yields the
    question to ask between items."""
    requested = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: requested.set())
    try:
        yield requested.is_set
    finally:
        signal.signal(signal.SIGTERM, previous)
