"""A web worker loads only what serving pages needs: the PDF, QR, calendar and migration
libraries (about 40 MB together) load when a sticker, a calendar or a migration is made."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import TEST_SECRET
from tests.support import ROOT

HEAVY = ("reportlab", "PIL", "qrcode", "pypdfium2", "icalendar", "alembic", "flask_migrate")


def loaded_after(code: str, tmp_path) -> list[str]:
    script = ("import json, sys\nfrom campaign import create_app\napp = create_app()\n" + code
              + f"\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    env = {"PATH": "/usr/bin:/bin", "CAMPAIGN_SECRET_KEY": TEST_SECRET,
           "CAMPAIGN_DATABASE_URL": f"sqlite:///{tmp_path / 'f.sqlite'}"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_new_worker_has_none_of_the_heavy_libraries(tmp_path):
    assert loaded_after("", tmp_path) == []


def test_they_load_when_a_sticker_or_a_migration_is_asked_for(tmp_path):
    code = ("from campaign.stickers import pdf\npdf.FORMATS\n"
            "app.extensions['migrate'].directory")
    assert loaded_after(code, tmp_path) == ["PIL", "alembic", "flask_migrate", "qrcode",
                                            "reportlab"]
