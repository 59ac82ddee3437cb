"""Build glue only (metadata lives in setup.cfg): put the top-level folders into the wheel.

templates/, static/ and migrations/ stay at the top of the checkout, where the team edits them.
A wheel has no top level, so build_py copies them to campaign/_bundle/, where
campaign.core.resources finds them once installed. Editable installs skip the copy and use the
checkout's folders directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED_FOLDERS = ("templates", "static", "migrations")
ROOT = Path(__file__).resolve().parent


class BuildPyWithBundle(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundle = Path(self.build_lib) / "campaign" / "_bundle"
        for name in BUNDLED_FOLDERS:
            target = bundle / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(ROOT / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


setup(cmdclass={"build_py": BuildPyWithBundle})
