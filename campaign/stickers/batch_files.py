"""Sticker batch files on disk, in one folder per job below CAMPAIGN_STICKER_BATCH_DIR
(default: "sticker-batches" in the instance folder). Every web worker and every job runner must
reach that folder: on several machines or containers it is a shared volume.

    job-<id>/teil-00000.pdf …   one part per rendered chunk, kept so that a job taken over
                                after a crash renders only the chunks whose part is missing
    job-<id>/aufkleber-1.pdf …  the downloads, each joining the parts of up to
                                CAMPAIGN_STICKER_BATCH_FILE_MAX stickers

Every file is written under a temporary name and then renamed, so a reader (or a runner
taking over) never sees half a PDF. Folders in which nothing changed for
CAMPAIGN_STICKER_BATCH_KEEP_HOURS are deleted (see remove_old).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from flask import current_app
from werkzeug.security import safe_join

from campaign.stickers import pdfium

T = TypeVar("T")
FOLDER = re.compile(r"job-[0-9]+")


def root() -> Path:
    configured = current_app.config["STICKER_BATCH_DIR"]
    return Path(configured) if configured else Path(current_app.instance_path) / "sticker-batches"


def folder(job_id: int) -> Path:
    return root() / f"job-{job_id}"


def part_path(job_id: int, position: int) -> Path:
    return folder(job_id) / f"teil-{position:05d}.pdf"


def download_path(job_id: int, name: str) -> Path | None:
    """A finished download of the job, or None when it is gone (or the name is odd)."""
    joined = safe_join(str(folder(job_id)), name)
    return Path(joined) if joined and os.path.isfile(joined) else None


def write_atomically(path: Path, write: Callable[[BinaryIO], T]) -> T:
    """Let `write` fill a temporary file beside `path`, then put it in place in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
        try:
            result = write(out)
        except BaseException:
            out.close()
            os.unlink(out.name)
            raise
    os.replace(out.name, path)
    return result


def join_parts(job_id: int, groups: list[list[int]]) -> list[str]:
    """Join each group of part positions into one download; return the downloads' names."""
    names = []
    for group in groups:
        parts = [part_path(job_id, position) for position in group]
        name = f"aufkleber-{len(names) + 1}.pdf"
        write_atomically(folder(job_id) / name, lambda out, parts=parts: _join(parts, out))
        names.append(name)
    return names


def _join(parts: list[Path], out: BinaryIO) -> None:
    if len(parts) == 1:
        with parts[0].open("rb") as part:
            shutil.copyfileobj(part, out)
    else:
        pdfium.join(parts, out)


def remove_old(busy: set[int], now: float | None = None) -> int:
    """Delete the batch folders in which nothing changed for STICKER_BATCH_KEEP_HOURS, except
    those of the `busy` jobs; return how many. Only folders named job-<id> are touched,
    whatever else lies in the directory."""
    base = root()
    if not base.is_dir():
        return 0
    cutoff = (now or time.time()) - current_app.config["STICKER_BATCH_KEEP_HOURS"] * 3600
    removed = 0
    for path in base.iterdir():
        if (FOLDER.fullmatch(path.name) and int(path.name[4:]) not in busy and path.is_dir()
                and _last_change(path) < cutoff):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _last_change(path: Path) -> float:
    try:
        return max([path.stat().st_mtime, *(child.stat().st_mtime for child in path.iterdir())])
    except OSError:  # a file was renamed meanwhile: a runner is working in there right now
        return time.time()
