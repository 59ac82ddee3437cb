"""A full disk: the cause is logged, /healthz fails, the visitor is told the input was lost.

A real full file system: a 3 MB tmpfs in a private mount namespace (`unshare -m`, needs root
or user namespaces), holding the SQLite database, filled to the last byte.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile

import pytest

from tests.support import IN_CI, ROOT


def run_on_a_full_disk() -> dict:
    folder = tempfile.mkdtemp(prefix="ato-full-")
    script = (f"mount -t tmpfs -o size=3m tmpfs {folder} && "
              f"exec {sys.executable} -m tests.disk_full_probe {folder}")
    try:
        done = subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0 and "mount" in done.stderr and "permission" in done.stderr.lower():
        if IN_CI:
            pytest.fail("CI must allow `unshare -m` and tmpfs mounts for the disk-full test")
        pytest.skip("no permission for a private tmpfs mount (unshare -m)")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_full_disk_fails_health_says_the_signup_was_not_saved_and_logs_why():
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is not installed")
    result = run_on_a_full_disk()
    assert result["before"] == {"status": "ok", "database": "ok"}
    assert result["signup_status"] == 503
    page = result["signup_page"]
    assert "Ihre Eingabe wurde nicht gespeichert" in page and "Speicher ist gerade voll" in page
    assert "noch einmal ab" in page  # the form can be sent again
    assert "bisher gespeicherten Angaben sind sicher" not in page
    assert result["health_status"] == 503
    assert result["health"] == {"status": "unhealthy", "database": "disk_full"}
    assert any(line.startswith("Database cannot write (disk full) on POST /mitmachen")
               for line in result["log"]), result["log"]
