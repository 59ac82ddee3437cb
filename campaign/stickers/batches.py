"""Sticker batches chosen on /admin/aufkleber, rendered as background jobs ("sticker_batch").

The request only checks the selection (at least one entry, every name printable), keeps the
matching entries' ids in the list's order and queues the job; it never renders, so a batch of
any size costs the web worker a query, not seconds, and nothing is cut off. A runner
(campaign.jobs) renders CAMPAIGN_STICKER_BATCH_CHUNK stickers per step into a part file and
records each step with its count (the progress staff watch); at the end it joins the parts into
downloads of at most CAMPAIGN_STICKER_BATCH_FILE_MAX stickers. A job taken over after its
runner died renders only the chunks whose part is missing; chunk size and file size are stored
with the job, so a changed setting cannot shift the chunks of a job half done.

Old files: a batch's folder is deleted once nothing changed in it for
CAMPAIGN_STICKER_BATCH_KEEP_HOURS (a day by default), whenever a new batch is submitted and by
`flask campaign cleanup` (daily in compose.yaml); the folder of an unfinished job stays. The
job row stays too; its page then offers to make the PDF again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from campaign.admin.filters import EntryFilters
from campaign.extensions import db
from campaign.jobs import queue, runner
from campaign.models import Employer, Job, JobItem, JobState, utcnow
from campaign.stickers import batch_files, pdf
from campaign.stickers.files import (
    FORMAT_LABELS,
    branding,
    display_name,
    sticker_data,
    unprintable_names,
)

JOB_KIND = "sticker_batch"
RENDERED = "rendered"
NAMES_SHOWN = 10


class BatchRefused(Exception):
    """Nothing to print, or names that cannot be printed (listed for staff)."""

    def __init__(self, unprintable: list[str]):
        self.unprintable = unprintable
        super().__init__(", ".join(unprintable))


class BatchFailed(Exception):
    """The selection changed while the job ran so that it cannot finish (German, for staff)."""


@dataclass(frozen=True)
class Download:
    number: int
    of: int
    name: str
    first: int  # the stickers it holds, counted over the whole batch
    last: int


def submit(filters: EntryFilters, fmt: str, actor: str) -> Job:
    """Check the selection and queue its batch (add/flush; the caller commits, then starts a
    runner); the same batch still unfinished for the same staff member is reused. Raises
    BatchRefused."""
    if fmt not in FORMAT_LABELS:
        raise ValueError(f"unknown sticker format {fmt!r}")
    rows = db.session.execute(filters.apply(
        db.select(Employer.id, Employer.name, Employer.sticker_name))).all()
    unprintable = unprintable_names((r.name, r.sticker_name or r.name) for r in rows)
    if unprintable or not rows:
        raise BatchRefused(unprintable)
    ids = [r.id for r in rows]
    twin = _unfinished_twin(fmt, ids, actor)
    if twin is not None:  # the button pressed twice: one job
        return twin
    remove_old_files()
    chunk = chunk_size(fmt)
    params = {"format": fmt, "filters": filters.query_args(), "ids": ids, "chunk": chunk,
              "chunks_per_file": max(1, current_app.config["STICKER_BATCH_FILE_MAX"] // chunk)}
    return queue.submit(JOB_KIND, params, total=len(ids), actor=actor)


def _unfinished_twin(fmt: str, ids: list[int], actor: str) -> Job | None:
    jobs = db.session.scalars(db.select(Job).where(
        Job.kind == JOB_KIND, Job.created_by == actor, Job.total == len(ids),
        Job.state.in_([JobState.QUEUED, JobState.RUNNING])))
    return next((job for job in jobs
                 if job.params["format"] == fmt and job.params["ids"] == ids), None)


def remove_old_files() -> int:
    """Delete the files of batches finished (or abandoned) longer ago than the settings keep
    them; an unfinished job keeps its parts, so a runner taking it over later reuses them."""
    unfinished = set(db.session.scalars(db.select(Job.id).where(
        Job.kind == JOB_KIND, Job.state.in_([JobState.QUEUED, JobState.RUNNING]))))
    return batch_files.remove_old(busy=unfinished)


def recent(limit: int = 5) -> list[Job]:
    """The latest batches whose files may still be there, newest first."""
    since = utcnow() - timedelta(hours=current_app.config["STICKER_BATCH_KEEP_HOURS"])
    return list(db.session.scalars(
        db.select(Job).where(Job.kind == JOB_KIND, Job.created_at >= since)
        .order_by(Job.id.desc()).limit(limit)))


def chunk_size(fmt: str) -> int:
    """Stickers per step, in whole pages (an A4 sheet holds four)."""
    per_page = pdf.FORMATS[fmt].per_page
    return max(per_page, current_app.config["STICKER_BATCH_CHUNK"] // per_page * per_page)


@runner.handler(JOB_KIND)
def run_batch(job: Job, steps: queue.Steps) -> dict:
    """Render every chunk that has no part yet, then join the parts into the downloads."""
    params, job_id = job.params, job.id
    ids, fmt, size = params["ids"], params["format"], params["chunk"]
    counts = _recorded_counts(job_id)
    look = branding()
    db.session.commit()
    for position in range(math.ceil(len(ids) / size)):
        if position in counts and (counts[position] == 0
                                   or batch_files.part_path(job_id, position).exists()):
            continue
        chunk = ids[position * size:(position + 1) * size]
        drawn = _render_chunk(job_id, position, chunk, fmt, look)
        if position in counts:  # recorded before, but its part is gone: drawn again
            steps.heartbeat()
        else:
            steps.record(position, RENDERED, advance=len(chunk), stickers=drawn)
        counts[position] = drawn
    steps.heartbeat()
    return _join(job_id, counts, params["chunks_per_file"], fmt)


def _recorded_counts(job_id: int) -> dict[int, int]:
    rows = db.session.execute(db.select(JobItem.position, JobItem.details)
                              .where(JobItem.job_id == job_id))
    return {position: (details or {}).get("stickers", 0) for position, details in rows}


def _render_chunk(job_id: int, position: int, ids: list[int], fmt: str, look: pdf.Branding) -> int:
    """Draw the chunk's entries (those still there) into its part; return how many."""
    found = {e.id: e for e in db.session.scalars(db.select(Employer).where(Employer.id.in_(ids)))}
    employers = [found[i] for i in ids if i in found]
    unprintable = unprintable_names((e.name, display_name(e)) for e in employers)
    if unprintable:
        raise BatchFailed(_("Diese Namen lassen sich inzwischen nicht drucken: %(names)s.",
                            names=", ".join(unprintable[:NAMES_SHOWN])))
    data = [sticker_data(e) for e in employers]
    db.session.commit()  # no transaction stays open while the chunk renders
    if data:
        batch_files.write_atomically(batch_files.part_path(job_id, position),
                                     lambda out: pdf.render_batch(data, out, fmt, branding=look))
    return len(data)


def _join(job_id: int, counts: dict[int, int], chunks_per_file: int, fmt: str) -> dict:
    drawn = [position for position in sorted(counts) if counts[position]]
    if not drawn:
        raise BatchFailed(_("Keinen der gewählten Einträge gibt es noch."))
    groups = [drawn[start:start + chunks_per_file]
              for start in range(0, len(drawn), chunks_per_file)]
    names = batch_files.join_parts(job_id, groups)
    files, first = [], 1
    for name, group in zip(names, groups, strict=True):
        stickers = sum(counts[position] for position in group)
        files.append({"name": name, "first": first, "last": first + stickers - 1})
        first += stickers
    return {"format": fmt, "count": first - 1, "files": files}


def downloads(job: Job) -> list[Download]:
    files = (job.result or {}).get("files", [])
    return [Download(number, len(files), f["name"], f["first"], f["last"])
            for number, f in enumerate(files, start=1)]


def download_name(job: Job, download: Download) -> str:
    """aufkleber-a6-2951.pdf, or aufkleber-a6-12000-teil-2-von-3.pdf for one of several."""
    name = f"aufkleber-{job.result['format']}-{job.result['count']}"
    if download.of > 1:
        name += f"-teil-{download.number}-von-{download.of}"
    return name + ".pdf"
