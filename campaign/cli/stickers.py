"""flask campaign stickers: a batch of stickers as one PDF, with a progress bar."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Employer, Status
from campaign.stickers import pdf
from campaign.stickers.files import FORMAT_LABELS, branding, printable_data


def _query(statuses: tuple[str, ...], district: str | None):
    query = select(Employer).where(Employer.status.in_(statuses))
    if district:
        query = query.where(Employer.district == district)
    return query


@click.command("stickers")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Ziel-PDF.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMAT_LABELS)), default="a6", show_default=True)
@click.option("--status", "statuses", multiple=True, default=[Status.PUBLISHED.value],
              type=click.Choice([s.value for s in Status]), show_default=True)
@click.option("--district", default=None, help="Nur dieser Stadtbezirk.")
@click.option("--bleed", is_flag=True, help="Druckerei-Fassung mit 3 mm Beschnitt und Schnittmarken.")
@with_appcontext
def stickers(out_path: str, fmt: str, statuses: tuple[str, ...], district: str | None,
             bleed: bool) -> None:
    """Write the stickers of all matching entries into one PDF."""
    query = _query(statuses, district)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    if not total:
        raise click.ClickException("Keine passenden Einträge gefunden.")
    rows = db.session.scalars(query.order_by(Employer.id).execution_options(yield_per=500))
    skipped: list[Employer] = []
    with open(out_path, "wb") as out, click.progressbar(length=total, label="Aufkleber") as bar:
        written = pdf.render_batch(printable_data(rows, skipped), out, fmt, branding=branding(),
                               bleed=bleed, progress=lambda _done: bar.update(1))
    click.echo(f"{written} Aufkleber in {out_path} geschrieben.")
    for employer in skipped:
        click.echo(f"Übersprungen: Eintrag {employer.id} – der Name lässt sich nicht drucken. "
                   "Tragen Sie im Adminbereich einen Namen in lateinischer Schrift ein.", err=True)
