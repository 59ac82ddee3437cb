"""flask campaign run-jobs: run queued background jobs (for cron or a compose service)."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from campaign.jobs import runner


@click.command("run-jobs")
@click.option("--wait", "wait_seconds", type=float, default=0.0,
              help="Weiterlaufen und alle so viele Sekunden nach neuen Aufträgen sehen.")
@with_appcontext
def run_jobs(wait_seconds: float) -> None:
    """Run every queued job (and every job whose runner stopped) until none is left."""
    while True:
        ran = runner.run_pending()
        click.echo(f"{ran} Auftrag/Aufträge ausgeführt.")
        if not wait_seconds:
            return
        time.sleep(wait_seconds)
