"""Write and check a backup file of the configured database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, Engine

PG_DUMP_TIMEOUT_SECONDS = 3600


class BackupFailed(Exception):
    """The backup could not be written; the message says why, for the operator."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size_bytes: int
    contents: str  # what the copy holds, read back from the copy itself


def write_backup(engine: Engine, target: Path) -> Backup:
    """Copy the database behind ``engine`` into ``target`` and check the copy can be read."""
    target = target.resolve()
    if target.exists():
        raise BackupFailed(f"{target} gibt es schon; eine Sicherung überschreibt nichts.")
    if not target.parent.is_dir():
        raise BackupFailed(f"Den Ordner {target.parent} gibt es nicht.")
    if engine.dialect.name == "sqlite":
        contents = _copy_sqlite(engine, target)
    elif engine.dialect.name == "postgresql":
        contents = _dump_postgres(engine.url, target)
    else:
        raise BackupFailed(f"Für {engine.dialect.name} gibt es keine Sicherung.")
    return Backup(target, target.stat().st_size, contents)


def _copy_sqlite(engine: Engine, target: Path) -> str:
    source = engine.raw_connection()
    copy = sqlite3.connect(target)
    try:
        source.driver_connection.backup(copy)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupFailed(f"Die Kopie {target} ist beschädigt.")
        employers = copy.execute("SELECT count(*) FROM employer").fetchone()[0]
        version = copy.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        copy.close()
        source.close()
    return f"{employers} Einträge, Schema-Version {version}"


def _dump_postgres(url: URL, target: Path) -> str:
    """pg_dump in its custom format; the password goes through the environment, not argv."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string()
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", libpq_url], env)
    listing = _run(["pg_restore", "--list", str(target)], env)
    tables = sum(" TABLE DATA " in line for line in listing.splitlines())
    return f"Daten aus {tables} Tabellen (pg_dump, Format custom)"


def _run(command: list[str], env: dict) -> str:
    try:
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True,  # noqa: S603 (fixed argv, no shell)
                       timeout=PG_DUMP_TIMEOUT_SECONDS).stdout
    except FileNotFoundError:
        raise BackupFailed(f"{command[0]} fehlt: bitte die PostgreSQL-Client-Programme "
                           "installieren (Debian: postgresql-client).") from None
    except subprocess.CalledProcessError as error:
        raise BackupFailed(f"{command[0]} ist gescheitert: {error.stderr.strip()}") from None
