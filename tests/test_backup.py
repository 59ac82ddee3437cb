"""flask campaign backup: a copy taken from the live database restores to a working site."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager

from campaign import create_app
from campaign.extensions import db
from tests.conftest import base_config
from tests.support import scratch_postgres_database


@contextmanager
def restored_database(app, backup_file, tmp_path):
    """Restore the way the README says: copy the SQLite file back, or pg_restore the dump."""
    if _dialect(app) == "sqlite":
        restored = tmp_path / "restored.sqlite"
        shutil.copy(backup_file, restored)
        yield f"sqlite:///{restored}"
        return
    with scratch_postgres_database("restore") as url:
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={url}", str(backup_file)],
                       check=True, capture_output=True)
        yield url


def _dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_backup_restores_every_published_entry(app, runner, make_employer, tmp_path):
    first = make_employer(name="Bäckerei Vorher")
    newest = make_employer(name="Tischlerei Zuletzt")
    backup_file = tmp_path / "sicherung.bak"

    result = runner.invoke(args=["campaign", "backup", str(backup_file)])

    assert result.exit_code == 0, result.output
    assert "Sicherung geschrieben" in result.output and "CAMPAIGN_SECRET_KEY" in result.output
    with restored_database(app, backup_file, tmp_path) as url:
        restored = create_app(base_config(url, None))
        client = restored.test_client()
        for employer in (first, newest):
            page = client.get(f"/betrieb/{employer.slug}")
            assert page.status_code == 200
            assert employer.name in page.get_data(as_text=True)
        with restored.app_context():
            db.engine.dispose()


def test_backup_never_overwrites_a_file(runner, make_employer, tmp_path):
    make_employer()
    existing = tmp_path / "alt.bak"
    existing.write_bytes(b"older backup")

    result = runner.invoke(args=["campaign", "backup", str(existing)])

    assert result.exit_code == 1
    assert "überschreibt nichts" in result.output
    assert existing.read_bytes() == b"older backup"
