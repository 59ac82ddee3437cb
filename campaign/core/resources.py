"""Where templates, static files and migrations live: in the installed wheel or in the checkout.

The folders sit at the top of the checkout; a built wheel carries copies in campaign/_bundle/
(see setup.py). The bundled copy wins when present, so an installed package never reads from
whatever folder it was started in.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
BUNDLE = PACKAGE / "_bundle"
CHECKOUT = PACKAGE.parent


def folder(name: str) -> str:
    """The absolute path of the top-level folder `name` (templates, static or migrations)."""
    bundled = BUNDLE / name
    return str(bundled if bundled.is_dir() else CHECKOUT / name)


TEMPLATES = folder("templates")
STATIC = folder("static")
MIGRATIONS = folder("migrations")
